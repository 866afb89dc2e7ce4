/**
 * A worker thread that opens a SQLite file as the store does (openWalDatabase): opening blocks its
 * thread, so a test runs it here and meanwhile holds or releases locks on the main thread. Tells the
 * parent `locked` at each lock met, then `opened` with the journal mode, or `failed` with the code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorCodeOf } from '../../src/store/sqlite-faults.js';
import { openWalDatabase } from '../../src/store/sqlite-open.js';

export type WalOpenReport = { readonly kind: 'locked' } | { readonly kind: 'opened'; readonly mode: string } | { readonly kind: 'failed'; readonly code: string | undefined; readonly message: string };

const { path, lockWaitMs, startAt } = workerData as { path: string; lockWaitMs?: number; startAt?: Int32Array };
const report = (message: WalOpenReport) => parentPort!.postMessage(message);

// Threads that share `startAt` wait until it is set, then open together.
if (startAt !== undefined) Atomics.wait(startAt, 0, 0);
try {
  const db = openWalDatabase(path, { synchronous: 'FULL', lockWaitMs, onLocked: () => report({ kind: 'locked' }) });
  db.exec('CREATE TABLE IF NOT EXISTS t (a INTEGER PRIMARY KEY)');
  const mode = String(db.pragma('journal_mode', { simple: true }));
  db.close();
  report({ kind: 'opened', mode });
} catch (error) {
  report({ kind: 'failed', code: errorCodeOf(error), message: (error as Error).message });
}
