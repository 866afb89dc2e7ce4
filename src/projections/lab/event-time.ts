import { DateTime } from 'luxon';
import type { RecordedEvent } from '../../store/port.js';

/** 9999-12-31T23:59:59.999Z: beyond it Date writes six-digit years. */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** ISO 8601 in UTC with a `Z`, as every MozPool time field is written. */
export function isoUtc(epochMs: number): string {
  // Date's own format is the same string for years 1970–9999, and far cheaper than luxon's.
  if (Number.isInteger(epochMs) && epochMs >= 0 && epochMs <= MAX_FOUR_DIGIT_YEAR_MS) return new Date(epochMs).toISOString();
  return DateTime.fromMillis(epochMs, { zone: 'utc' }).toISO() ?? new Date(epochMs).toISOString();
}

/**
 * When the fact happened: the `atMs` the deciding actor put in the data (its clock, from the command),
 * else when the store recorded it. Replays thus show the original times, not the append time.
 */
export function eventAtMs(event: Pick<RecordedEvent, 'data' | 'createdAtMs'>): number {
  const { data } = event;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const atMs = (data as { readonly atMs?: unknown }).atMs;
    if (typeof atMs === 'number' && Number.isFinite(atMs)) return atMs;
  }
  return event.createdAtMs;
}

/** The id part of a `<category>-<id>` stream name (`device-panda-0001` → `panda-0001`). */
export function streamId(stream: string, category: string): string {
  return stream.slice(category.length + 1);
}

/**
 * The `default` branch of a switch over a known event union. The log may hold event types this
 * version does not know (written by a newer server), so they are skipped rather than thrown on.
 */
export function ignoreUnknownEvent(_event: never): undefined {
  return undefined;
}
