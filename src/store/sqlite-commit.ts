import type Database from 'better-sqlite3';
import type { ExpectedRevision } from './port.js';
import { errorCodeOf } from './sqlite-faults.js';

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

/** An error of the writer, as plain data: its message and its SQLite (or errno) code, if it had one. */
export interface CommitFailure {
  readonly message: string;
  readonly code?: string;
}

/** What became of one append: its last revision and global position, or why it was refused. */
export type AppendOutcome =
  | { readonly ok: true; readonly nextRevision: number; readonly position: number }
  | { readonly ok: false; readonly conflict: { readonly expected: ExpectedRevision; readonly actual: 'no_stream' | number } }
  | { readonly ok: false; readonly conflict?: undefined; readonly error: CommitFailure };

export interface CommitOutcome {
  /** One per append, in order; all failed when the transaction itself failed. */
  readonly appends: readonly AppendOutcome[];
  /** Set when the snapshots could not be written (the appends may still have been). */
  readonly snapshotError?: CommitFailure;
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

  /**
   * SQLite may roll the whole transaction back on its own (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY):
   * then the batch has failed, and the next append must not run outside it (it would commit alone
   * while the batch reports it failed).
   */
  function rethrowIfTransactionLost(error: unknown): void {
    if (!db.inTransaction) throw error;
  }

  return (batch) => {
    const appends: AppendOutcome[] = [];
    let snapshotError: CommitFailure | undefined;
    const run = db.transaction(() => {
      for (const snapshot of batch.snapshots) {
        try {
          statements.writeSnapshot.run(snapshot.stream, snapshot.revision, snapshot.state);
        } catch (error) {
          rethrowIfTransactionLost(error);
          snapshotError = toCommitFailure(error);
        }
      }
      for (const append of batch.appends) {
        try {
          appends.push(appendInSavepoint(append, batch.createdAtMs));
        } catch (error) {
          if (!(error instanceof Conflict)) rethrowIfTransactionLost(error);
          appends.push(error instanceof Conflict ? { ok: false, conflict: { expected: append.expected, actual: error.actual } } : { ok: false, error: toCommitFailure(error) });
        }
      }
    });
    try {
      run.immediate();
    } catch (error) {
      return failedCommit(batch, error);
    }
    return snapshotError === undefined ? { appends } : { appends, snapshotError };
  };
}

/** The outcome of a batch none of which was stored: its transaction failed or could not start. */
export function failedCommit(batch: CommitBatch, error: unknown): CommitOutcome {
  const failure = toCommitFailure(error);
  const failed: AppendOutcome = { ok: false, error: failure };
  return { appends: batch.appends.map(() => failed), snapshotError: failure };
}

/** The failures of `outcome`: its refused appends' (conflicts aside) and its snapshots'. */
export function failuresOf(outcome: CommitOutcome): CommitFailure[] {
  const failures = outcome.appends.flatMap((append) => (append.ok || append.conflict !== undefined ? [] : [append.error]));
  return outcome.snapshotError === undefined ? failures : [...failures, outcome.snapshotError];
}

function toCommitFailure(error: unknown): CommitFailure {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const code = errorCodeOf(error);
  return code === undefined ? { message } : { message, code };
}
