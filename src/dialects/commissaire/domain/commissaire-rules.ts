import { reject, type Decision } from '../../../domain/decider.js';
import type { Json } from '../../../domain/json.js';

/**
 * Why a Commissaire command was refused. Commissaire answers only with a bare reason phrase, so the
 * code is all the routes need: `invalid` 400, `not_found` 404, `not_allowed` 405, `conflict` 409.
 */
export type CommissaireRejectionCode = 'invalid' | 'not_found' | 'not_allowed' | 'conflict';

/** The HTTP status of each rejection code. */
export const COMMISSAIRE_REJECTION_STATUS: Readonly<Record<CommissaireRejectionCode, 400 | 404 | 405 | 409>> = {
  invalid: 400,
  not_found: 404,
  not_allowed: 405,
  conflict: 409,
};

/** The HTTP status for a rejection code; 500 for a code no Commissaire decider gives (a bug). */
export function commissaireHttpStatus(code: string): number {
  return Object.hasOwn(COMMISSAIRE_REJECTION_STATUS, code) ? COMMISSAIRE_REJECTION_STATUS[code as CommissaireRejectionCode] : 500;
}

export function refuse<Event>(code: CommissaireRejectionCode, message: string): Decision<Event> {
  return reject(code, message);
}

/** Cluster, network and container manager names. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Host addresses: IPv4, host names (the original also took anything of these characters). */
export const ADDRESS_PATTERN = /^[A-Za-z0-9_.-]+$/;

/**
 * A time as Commissaire wrote it: ISO 8601 in UTC without a zone, to microseconds (what Python's
 * `datetime.isoformat()` gives for a naive UTC time, which its clients parse).
 */
export function commissaireTime(atMs: number): string {
  return `${new Date(atMs).toISOString().slice(0, -1)}000`;
}

/** JSON with sorted keys: two option objects that say the same thing compare equal. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${(value as readonly Json[]).map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Readonly<Record<string, Json>>)[key] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The same members, whatever their order or repeats. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

/** Each item once, in the order first seen. */
export function distinct(items: readonly string[]): readonly string[] {
  return [...new Set(items)];
}
