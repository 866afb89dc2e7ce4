import type { EventMetadata, Json, LogPosition, RecordedEvent } from './port.js';

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

/** The events table's columns in the order of {@link EventRow}: reads select them as arrays (`.raw()`), not row objects. */
export const EVENT_COLUMNS = 'position, stream, revision, id, type, data, metadata, created';

/** One row of the events table as better-sqlite3 returns it in raw mode, columns as in {@link EVENT_COLUMNS}. */
export type EventRow = readonly [position: number, stream: string, revision: number, id: string, type: string, data: string, metadata: string, created: number];

/**
 * A stored event. Metadata is parsed on first read: a catch-up replays millions of events and the
 * projections look at their data only. One class rather than an object literal with a getter closure
 * per event: the lazy `metadata` is a getter on the prototype, so it is not an own property (spreads,
 * `Object.keys` and `JSON.stringify` do not see it; nothing in labpool spreads or serialises a
 * RecordedEvent — its bigint position would not serialise anyway).
 */
class SqliteRecordedEvent implements RecordedEvent {
  readonly id: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: LogPosition;
  readonly type: string;
  readonly data: Json;
  readonly createdAtMs: number;
  #metadataJson: string;
  #metadata: EventMetadata | undefined = undefined;

  constructor(row: EventRow) {
    this.id = row[3];
    this.stream = row[1];
    this.revision = row[2];
    this.position = BigInt(row[0]);
    this.type = row[4];
    this.data = JSON.parse(row[5]) as Json;
    this.createdAtMs = row[7];
    this.#metadataJson = row[6];
  }

  get metadata(): EventMetadata {
    return (this.#metadata ??= JSON.parse(this.#metadataJson) as EventMetadata);
  }
}

export function rowToRecordedEvent(row: EventRow): RecordedEvent {
  return new SqliteRecordedEvent(row);
}
