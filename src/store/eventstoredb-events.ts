import { START, type AllStreamResolvedEvent, type Position, type ReadPosition, type RecordedEvent as ClientRecordedEvent } from '@eventstore/db-client';
import { LOG_START, matchesFilter, type EventMetadata, type Json, type LogFilter, type LogPosition, type RecordedEvent } from './port.js';

/** Snapshots live in ordinary streams, so every global read and subscription must hide these. */
export const SNAPSHOT_STREAM_PREFIX = 'snapshot-';
const PREPARE_MASK = (1n << 64n) - 1n;

export const packPosition = ({ commit, prepare }: Position): LogPosition => (commit << 64n) | prepare;

export const toReadPosition = (from: LogPosition): ReadPosition => (from === LOG_START ? START : { commit: from >> 64n, prepare: from & PREPARE_MASK });

/** System streams/events (`$…`) and snapshot streams are not part of labpool's log. */
const isHidden = (stream: string, type: string): boolean => stream.startsWith('$') || type.startsWith('$') || stream.startsWith(SNAPSHOT_STREAM_PREFIX);

function toMetadata(metadata: unknown): EventMetadata {
  const isObject = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) && !(metadata instanceof Uint8Array);
  return isObject ? (metadata as EventMetadata) : {};
}

export function toRecordedEvent(event: ClientRecordedEvent): RecordedEvent {
  if (event.position === undefined) throw new Error(`EventStoreDB sent ${event.streamId}@${event.revision} without a position (server < 22.6?)`);
  return {
    id: event.id,
    stream: event.streamId,
    revision: Number(event.revision),
    position: packPosition(event.position),
    type: event.type,
    // labpool only writes JSON; a binary event written by another tool has no Json reading.
    data: event.isJson ? (event.data as Json) : null,
    metadata: toMetadata(event.metadata),
    createdAtMs: event.created.getTime(),
  };
}

/** The event if the port may show it: visible, strictly after `after` (servers may be inclusive), passing `filter`. */
export function toVisibleEvent({ event }: AllStreamResolvedEvent, after: LogPosition, filter: LogFilter | undefined): RecordedEvent | undefined {
  if (event === undefined || isHidden(event.streamId, event.type)) return undefined;
  const recorded = toRecordedEvent(event);
  return recorded.position > after && matchesFilter(recorded, filter) ? recorded : undefined;
}
