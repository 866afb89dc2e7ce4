/**
 * Events of a server stream (`server-<id>`, the id being the server's `host:port`): the server says
 * it is alive. Nothing decides on them; they are facts a server appends about itself.
 */

import { eventTypes } from '../to-domain-event.js';

export type ServerEvent =
  /** The server started; it heartbeats every `heartbeatMs` from now on. */
  | { readonly type: 'ServerStarted'; readonly data: { readonly version: string; readonly heartbeatMs: number; readonly atMs: number } }
  | { readonly type: 'ServerHeartbeat'; readonly data: { readonly atMs: number } };

export const SERVER_EVENT_TYPES = eventTypes<ServerEvent>({ ServerStarted: true, ServerHeartbeat: true });

/** The stream category of servers; a stream is `server-<host:port>`. */
export const SERVER_CATEGORY = 'server';

/** What the log says about one server's life. */
export type ServerLife = {
  /** The latest start; null when only a heartbeat was seen (its start is older than the log kept). */
  readonly startedAtMs: number | null;
  /** The latest sign of life: a start or a heartbeat. */
  readonly lastHeartbeatMs: number;
  /** The interval it announced at its latest start; null when unknown. */
  readonly heartbeatMs: number | null;
};

export function evolveServerLife(life: ServerLife | undefined, event: ServerEvent): ServerLife {
  switch (event.type) {
    case 'ServerStarted':
      return { startedAtMs: event.data.atMs, lastHeartbeatMs: event.data.atMs, heartbeatMs: event.data.heartbeatMs };
    case 'ServerHeartbeat':
      return { startedAtMs: life?.startedAtMs ?? null, heartbeatMs: life?.heartbeatMs ?? null, lastHeartbeatMs: Math.max(event.data.atMs, life?.lastHeartbeatMs ?? 0) };
    default:
      return event satisfies never;
  }
}

/** Heartbeats missed before a server counts as dead: one late timer or slow write is not a death. */
export const MISSED_HEARTBEATS_FOR_DEAD = 3;

/** Alive: its latest sign of life is within {@link MISSED_HEARTBEATS_FOR_DEAD} intervals of `nowMs`. */
export function isServerAlive(life: ServerLife | undefined, nowMs: number, fallbackHeartbeatMs: number): boolean {
  if (life === undefined) return false;
  return nowMs - life.lastHeartbeatMs <= MISSED_HEARTBEATS_FOR_DEAD * (life.heartbeatMs ?? fallbackHeartbeatMs);
}
