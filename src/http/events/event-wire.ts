import { AUDIT_KINDS } from '../../dialects/dialects.js';
import { LOG_START, type EventMetadata, type EventStore, type Json, type LogFilter, type LogPosition, type RecordedEvent } from '../../store/port.js';
import { categoryOf } from './event-selection.js';

/** One event as the tail sends it: the SSE `data` line, and one NDJSON line of `labpool tail --json`. */
export interface WireEvent {
  /** The global log position as a decimal string: bigints do not survive JSON. */
  readonly position: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: Json;
  readonly metadata: EventMetadata;
  /** When the event was appended, ISO 8601 UTC. */
  readonly time: string;
}

/** The event as the tail shows it: its data as its stream's history lists it (secrets, even sealed, left out). */
export function toWireEvent(event: RecordedEvent): WireEvent {
  const { position, stream, revision, type, metadata, createdAtMs } = event;
  const shownData = AUDIT_KINDS.get(categoryOf(stream))?.shownData;
  const data = shownData === undefined ? event.data : shownData(event);
  return { position: String(position), stream, revision, type, data, metadata, time: new Date(createdAtMs).toISOString() };
}

/** One SSE message; its id is the position, so `Last-Event-ID` resumes right after it. */
export function formatSseEvent(event: WireEvent): string {
  // JSON.stringify escapes newlines, so the payload is always a single `data:` line.
  return `id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Tails woken by one commit share its RecordedEvent objects (the SQLite store reads the page once): format each once. */
const sseMessages = new WeakMap<RecordedEvent, string>();

/** {@link formatSseEvent} of a stored event, remembered for as long as the event object lives. */
export function sseMessageOf(event: RecordedEvent): string {
  let message = sseMessages.get(event);
  if (message === undefined) {
    message = formatSseEvent(toWireEvent(event));
    sseMessages.set(event, message);
  }
  return message;
}

/**
 * The position of the last event `filter` passes (LOG_START when none): a tail that starts there
 * misses no later event it wants. It reads the whole log, so it is for when nothing better knows the end.
 */
export async function findLastPosition(store: EventStore, filter: LogFilter | undefined): Promise<LogPosition> {
  let last = LOG_START;
  for await (const event of store.readAll(LOG_START, filter)) last = event.position;
  return last;
}
