import { wholeNumberOf } from './vm-changes.js';

/** A pool size above this is taken for a typo: no lab holds that many devices. */
export const MAX_POOL_SIZE = 100_000;

/** Valid changes by pool, or the names of the pools whose change is not valid (vmpooler lists them). */
export type PoolChanges<Value> = { readonly ok: true; readonly changes: readonly (readonly [string, Value])[] } | { readonly ok: false; readonly invalid: readonly string[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `{pool: value, …}` checked pool by pool: every pool must be configured (by its name, not an alias:
 * the configuration changes one pool) and its value valid. All or nothing: one invalid pool and
 * none changes. A body that is no object, or an empty one, is invalid with no pool named.
 */
function checkPoolChanges<Value>(body: unknown, isPool: (name: string) => boolean, valueOf: (raw: unknown) => Value | undefined): PoolChanges<Value> {
  if (!isPlainObject(body) || Object.keys(body).length === 0) return { ok: false, invalid: [] };
  const changes: [string, Value][] = [];
  const invalid: string[] = [];
  for (const [pool, raw] of Object.entries(body)) {
    const value = isPool(pool) ? valueOf(raw) : undefined;
    if (value === undefined) invalid.push(pool);
    else changes.push([pool, value]);
  }
  return invalid.length > 0 ? { ok: false, invalid } : { ok: true, changes };
}

/** `POST /config/poolsize`: whole sizes from 0 to {@link MAX_POOL_SIZE}, as integers or digit strings. */
export function checkPoolSizes(body: unknown, isPool: (name: string) => boolean): PoolChanges<number> {
  return checkPoolChanges(body, isPool, (raw) => {
    const size = wholeNumberOf(raw);
    return size !== undefined && size <= MAX_POOL_SIZE ? size : undefined;
  });
}

/** `POST /config/pooltemplate`: each pool's new template is the name of a labpool image. */
export function checkPoolTemplates(body: unknown, isPool: (name: string) => boolean, isImage: (name: string) => boolean): PoolChanges<string> {
  return checkPoolChanges(body, isPool, (raw) => (typeof raw === 'string' && isImage(raw) ? raw : undefined));
}

/** `POST /poolreset`: the pools to reset (vmpooler's clients send a count; any value will do). */
export function checkPoolResets(body: unknown, isPool: (name: string) => boolean): PoolChanges<true> {
  return checkPoolChanges(body, isPool, () => true);
}
