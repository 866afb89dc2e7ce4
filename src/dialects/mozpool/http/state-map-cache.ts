/** How long `/api/device/{id}/state/?cache=1` serves the same lab-wide state map. */
export const STATE_MAP_TTL_MS = 5_000;

/** A lab-wide `name → state` map and the epoch ms at which it goes stale. */
export type CachedStateMap = {
  readonly states: Readonly<Record<string, string>>;
  readonly expiresAtMs: number;
};

/**
 * MozPool's one-variable in-memory cache: dashboards poll every device's state, so one
 * snapshot of the whole lab serves them all for a few seconds.
 */
export interface StateMapCache {
  read(): CachedStateMap;
}

export function createStateMapCache(load: () => Readonly<Record<string, string>>, nowMs: () => number, ttlMs: number = STATE_MAP_TTL_MS): StateMapCache {
  let cached: CachedStateMap | undefined;
  return {
    read() {
      const now = nowMs();
      if (cached === undefined || now >= cached.expiresAtMs) cached = { states: load(), expiresAtMs: now + ttlMs };
      return cached;
    },
  };
}
