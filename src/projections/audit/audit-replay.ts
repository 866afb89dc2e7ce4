import type { EventStore, Json, RecordedEvent } from '../../store/port.js';
import { eventAtMs, isoUtc } from '../lab/event-time.js';
import type { AuditedState, AuditKind } from './audit-kinds.js';

/** One event of an audited stream, as `GET /api/<category>/{id}/history/` and `labpool history` show it. */
export type HistoryEntry = {
  /** When it happened (the `atMs` its actor decided at, else the append time), ISO 8601 UTC. */
  readonly time: string;
  /** Global log position as a decimal string: a bigint does not survive JSON. */
  readonly position: string;
  readonly revision: number;
  readonly type: string;
  readonly data: Json;
  readonly cause: { readonly correlationId: string | null; readonly causationId: string | null };
  readonly actor: string | null;
  readonly server: string | null;
};

/** The replayed state at an instant; `state` is null when the stream had no event yet then. */
export type ReplayedState = {
  readonly at: string;
  /** Revision of the last event folded, null when none was. */
  readonly revision: number | null;
  readonly state: AuditedState | null;
  readonly mozpool_state: string | null;
};

export type HistoryAnswer = { readonly history: readonly HistoryEntry[] };
export type AuditAnswer = HistoryAnswer | ReplayedState;

/** Epoch-ms bounds, both inclusive; an absent bound is open. */
export type TimeWindow = { readonly fromMs?: number | undefined; readonly toMs?: number | undefined };

/** Either the state at `atMs`, or the history within `window` (when `atMs` is absent). */
export type AuditQuery = { readonly atMs?: number | undefined; readonly window?: TimeWindow };

const textOrNull = (value: Json | undefined): string | null => (typeof value === 'string' ? value : null);

/** What a history shows of an event's data: secrets left out by its audit kind's `shownData`. */
type ShownData = (event: RecordedEvent) => Json;

const allData: ShownData = (event) => event.data;

export function toHistoryEntry(event: RecordedEvent, shownData: ShownData = allData): HistoryEntry {
  const { metadata } = event;
  return {
    time: isoUtc(eventAtMs(event)),
    position: String(event.position),
    revision: event.revision,
    type: event.type,
    data: shownData(event),
    cause: { correlationId: textOrNull(metadata.correlationId), causationId: textOrNull(metadata.causationId) },
    actor: textOrNull(metadata.actor),
    server: textOrNull(metadata.server),
  };
}

export function isWithin(atMs: number, window: TimeWindow): boolean {
  return (window.fromMs === undefined || atMs >= window.fromMs) && (window.toMs === undefined || atMs <= window.toMs);
}

export function historyWithin(events: readonly RecordedEvent[], window: TimeWindow, shownData: ShownData = allData): HistoryEntry[] {
  return events.filter((event) => isWithin(eventAtMs(event), window)).map((event) => toHistoryEntry(event, shownData));
}

/**
 * The events that had happened by `atMs`: the stream's prefix up to the first later event. A prefix,
 * not a filter, because `atMs` is the time a command was made, and a command made earlier may be
 * stored after one made later; folding around the later one would build a state that never existed.
 */
export function eventsUpTo(events: readonly RecordedEvent[], atMs: number): readonly RecordedEvent[] {
  const firstLater = events.findIndex((event) => eventAtMs(event) > atMs);
  return firstLater === -1 ? events : events.slice(0, firstLater);
}

export function replayAt(kind: AuditKind, events: readonly RecordedEvent[], atMs: number): ReplayedState {
  const happened = eventsUpTo(events, atMs);
  const last = happened.at(-1);
  if (last === undefined) return { at: isoUtc(atMs), revision: null, state: null, mozpool_state: null };
  const state = kind.fold(happened);
  return { at: isoUtc(atMs), revision: last.revision, state, mozpool_state: state.state };
}

/** Answers `query` from the stream of `id`, read straight from the store; undefined when the stream does not exist. */
export async function queryAudit(store: EventStore, kind: AuditKind, id: string, query: AuditQuery): Promise<AuditAnswer | undefined> {
  const events = await store.readStream(kind.streamOf(id));
  if (events.length === 0) return undefined;
  if (query.atMs !== undefined) return replayAt(kind, events, query.atMs);
  return { history: historyWithin(events, query.window ?? {}, kind.shownData ?? allData) };
}

export function isReplayedState(answer: AuditAnswer): answer is ReplayedState {
  return 'at' in answer;
}
