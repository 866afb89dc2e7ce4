import type Database from 'better-sqlite3';
import type { ExpectedRevision } from './port.js';

/**
 * One group commit of the SQLite store, as plain data: it crosses to the writer thread by
 * structured clone, so the events' data and metadata are already JSON text.
 */
export interface CommitBatch {
  readonly appends: readonly BatchAppend[];
  readonly snapshots: readonly BatchSnapshot[];
  /** When the events were created (the store's clock at flush time). */
  readonly createdAtMs: number;
}

export interface BatchAppend {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly { readonly id: string; readonly type: string; readonly data: string; readonly metadata: string }[];
}

export interface BatchSnapshot {
  readonly stream: string;
  readonly revision: number;
  readonly state: string;
}

/** What became of one append: its last revision and global position, or why it was refused. */
export type AppendOutcome =
  | { readonly ok: true; readonly nextRevision: number; readonly position: number }
  | { readonly ok: false; readonly conflict: { readonly expected: ExpectedRevision; readonly actual: 'no_stream' | number } }
  | { readonly ok: false; readonly conflict?: undefined; readonly error: string };

export interface CommitOutcome {
  /** One per append, in order; all failed when the transaction itself failed. */
  readonly appends: readonly AppendOutcome[];
  /** Set when the snapshots could not be written (the appends may still have been). */
  readonly snapshotError?: string;
}

class Conflict extends Error {
  constructor(readonly actual: 'no_stream' | number) {
    super('wrong expected revision');
  }
}

/**
 * The transaction of a group commit: the batch's appends share one transaction (and so one fsync),
 * each in a savepoint of its own with its own revision check, so one refused append undoes only itself.
 * Used in-thread for `:memory:` stores and by the writer thread for files.
 */
export function createBatchCommitter(db: Database.Database): (batch: CommitBatch) => CommitOutcome {
  const statements = {
    lastRevision: db.prepare<[string], { revision: number | null }>('SELECT MAX(revision) AS revision FROM events WHERE stream = ?'),
    insert: db.prepare<[string, number, string, string, string, string, number]>('INSERT INTO events (stream, revision, id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    writeSnapshot: db.prepare<[string, number, string]>(
      'INSERT INTO snapshots (stream, revision, state) VALUES (?, ?, ?) ON CONFLICT(stream) DO UPDATE SET revision = excluded.revision, state = excluded.state',
    ),
  };

  function checkRevision(stream: string, expected: ExpectedRevision): number {
    const last = statements.lastRevision.get(stream)?.revision ?? -1;
    const holds = expected === 'any' || (expected === 'no_stream' && last === -1) || (expected === 'stream_exists' && last >= 0) || expected === last;
    if (!holds) throw new Conflict(last === -1 ? 'no_stream' : last);
    return last;
  }

  /** Runs inside the batch's transaction: better-sqlite3 makes a nested transaction a savepoint. */
  const appendInSavepoint = db.transaction((append: BatchAppend, createdAtMs: number): AppendOutcome => {
    let revision = checkRevision(append.stream, append.expected);
    let position = 0;
    for (const event of append.events) {
      revision += 1;
      position = Number(statements.insert.run(append.stream, revision, event.id, event.type, event.data, event.metadata, createdAtMs).lastInsertRowid);
    }
    return { ok: true, nextRevision: revision, position };
  });

  return (batch) => {
    const appends: AppendOutcome[] = [];
    let snapshotError: string | undefined;
    const run = db.transaction(() => {
      for (const snapshot of batch.snapshots) {
        try {
          statements.writeSnapshot.run(snapshot.stream, snapshot.revision, snapshot.state);
        } catch (error) {
          snapshotError = messageOf(error);
        }
      }
      for (const append of batch.appends) {
        try {
          appends.push(appendInSavepoint(append, batch.createdAtMs));
        } catch (error) {
          appends.push(error instanceof Conflict ? { ok: false, conflict: { expected: append.expected, actual: error.actual } } : { ok: false, error: messageOf(error) });
        }
      }
    });
    try {
      run.immediate();
    } catch (error) {
      const failed: AppendOutcome = { ok: false, error: messageOf(error) };
      return { appends: batch.appends.map(() => failed), snapshotError: messageOf(error) };
    }
    return snapshotError === undefined ? { appends } : { appends, snapshotError };
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
