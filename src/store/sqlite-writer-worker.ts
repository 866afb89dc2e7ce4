/**
 * The SQLite store's writer thread: it owns the write connection, so a group commit's fsync waits
 * here and not on the event loop that runs the actors and HTTP. Started by sqlite-writer.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createBatchCommitter, type CommitBatch } from './sqlite-commit.js';

const { path, synchronous } = workerData as { path: string; synchronous: 'FULL' | 'NORMAL' };
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.pragma('busy_timeout = 5000');
const commit = createBatchCommitter(db);

parentPort!.on('message', (message: { id: number; batch: CommitBatch } | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  parentPort!.postMessage({ id: message.id, outcome: commit(message.batch) });
});
