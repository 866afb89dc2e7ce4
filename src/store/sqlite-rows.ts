import type { EventMetadata, Json, RecordedEvent } from './port.js';

/** Positions come from AUTOINCREMENT, so they only grow, even after deletes; UNIQUE gives per-stream revisions. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  stream   TEXT    NOT NULL,
  revision INTEGER NOT NULL,
  id       TEXT    NOT NULL,
  type     TEXT    NOT NULL,
  data     TEXT    NOT NULL,
  metadata TEXT    NOT NULL,
  created  INTEGER NOT NULL,
  UNIQUE (stream, revision)
);
CREATE TABLE IF NOT EXISTS snapshots (
  stream   TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  state    TEXT    NOT NULL
);
`;

/** One row of the events table as better-sqlite3 returns it. */
export interface EventRow {
  readonly position: number;
  readonly stream: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly created: number;
}

/**
 * Metadata is parsed on first read: a catch-up replays millions of events and the projections look at
 * their data only. The getter is an own enumerable property, so spreads and JSON see the metadata.
 */
export function rowToRecordedEvent(row: EventRow): RecordedEvent {
  let metadata: EventMetadata | undefined;
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: BigInt(row.position),
    type: row.type,
    data: JSON.parse(row.data) as Json,
    get metadata(): EventMetadata {
      return (metadata ??= JSON.parse(row.metadata) as EventMetadata);
    },
    createdAtMs: row.created,
  };
}
