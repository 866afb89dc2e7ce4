import { DateTime } from 'luxon';
import type { AuditQuery } from './audit-replay.js';

/**
 * Epoch ms of an ISO 8601 time (UTC when it names no offset), or undefined when it is not one.
 * A `+01:00` offset arrives as ` 01:00` when a client did not escape it in a query string; a space is
 * never part of an ISO time, so a trailing ` hh[:mm]` is read back as that offset.
 */
export function parseIsoTime(text: string): number | undefined {
  const parsed = DateTime.fromISO(text.replace(/ ([0-9]{2}(:?[0-9]{2})?)$/, '+$1'), { zone: 'utc' });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/** The raw `at`, `from` and `to` of a query string or the CLI's options. */
export type RawAuditQuery = { readonly at?: string | undefined; readonly from?: string | undefined; readonly to?: string | undefined };

export type ParsedAuditQuery = { readonly ok: true; readonly query: AuditQuery } | { readonly ok: false; readonly message: string };

const timeNames = ['at', 'from', 'to'] as const;

/** Validates the times of a history query; `at` asks for the state, and then `from` and `to` are ignored. */
export function parseAuditQuery(raw: RawAuditQuery): ParsedAuditQuery {
  const ms: Partial<Record<(typeof timeNames)[number], number>> = {};
  for (const name of timeNames) {
    const text = raw[name];
    if (text === undefined) continue;
    const parsed = parseIsoTime(text);
    if (parsed === undefined) return { ok: false, message: `${name} must be an ISO 8601 time, not '${text}'` };
    ms[name] = parsed;
  }
  const { at: atMs, from: fromMs, to: toMs } = ms;
  if (atMs === undefined && fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    return { ok: false, message: `from (${raw.from}) is after to (${raw.to})` };
  }
  return { ok: true, query: { atMs, window: { fromMs, toMs } } };
}
