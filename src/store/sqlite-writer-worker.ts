/**
 * The SQLite store's writer thread: it owns the write connection, so a group commit's fsync waits
 * here and not on the event loop that runs the actors and HTTP. Started by sqlite-writer.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openWalDatabase } from './sqlite-open.js';
import { createBatchCommitter, failedCommit, failuresOf, type CommitBatch, type CommitOutcome } from './sqlite-commit.js';
import { needsNewConnection } from './sqlite-faults.js';

const { path, synchronous } = workerData as { path: string; synchronous: 'FULL' | 'NORMAL' };

interface Connection {
  readonly db: Database.Database;
  readonly commit: (batch: CommitBatch) => CommitOutcome;
}

function openConnection(): Connection {
  const db = openWalDatabase(path, { synchronous });
  return { db, commit: createBatchCommitter(db) };
}

/** Opened for the first commit, and again after a failure the connection would keep (see needsNewConnection). */
let connection: Connection | undefined;

function commit(batch: CommitBatch): CommitOutcome {
  let outcome: CommitOutcome;
  try {
    connection ??= openConnection();
    outcome = connection.commit(batch);
  } catch (error) {
    outcome = failedCommit(batch, error);
  }
  if (failuresOf(outcome).some((failure) => needsNewConnection(failure.code))) {
    connection?.db.close();
    connection = undefined;
  }
  return outcome;
}

parentPort!.on('message', (message: { id: number; batch: CommitBatch } | 'close') => {
  if (message === 'close') {
    connection?.db.close();
    parentPort!.close();
    return;
  }
  parentPort!.postMessage({ id: message.id, outcome: commit(message.batch) });
});
