import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { WalOpenReport } from '../support/wal-open-thread-body.js';

const THREAD = new URL('../support/wal-open-thread.mjs', import.meta.url);

/** Opens `path` on a worker thread; `onReport` sees each report; resolves with the last (opened or failed). */
function openOnThread(workerData: object, onReport: (report: WalOpenReport) => void = () => undefined): Promise<WalOpenReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(THREAD, { workerData });
    worker.on('message', (report: WalOpenReport) => {
      onReport(report);
      if (report.kind !== 'locked') void worker.terminate().then(() => resolve(report));
    });
    worker.on('error', reject);
  });
}

/**
 * A new file in rollback-journal mode (as SQLite makes it), read by another connection: its read
 * transaction holds a shared lock, so switching the file to WAL, which needs it alone, must wait.
 * `release` ends the read and closes that connection.
 */
function readLockedFile(path: string): { release(): void } {
  const seed = new Database(path);
  seed.exec('CREATE TABLE t (a INTEGER PRIMARY KEY)');
  seed.close();
  const reader = new Database(path);
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM t').get();
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      reader.exec('COMMIT');
      reader.close();
    },
  };
}

describe('opening the SQLite file in WAL mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-wal-open-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('waits while another connection reads the file, and switches once it is let go', async () => {
    const path = join(dir, 'read-lock.db');
    const reader = readLockedFile(path);
    let locks = 0;
    const opened = await openOnThread({ path }, (report) => {
      if (report.kind === 'locked' && ++locks === 1) reader.release();
    });
    assert.deepEqual(opened, { kind: 'opened', mode: 'wal' });
    assert.ok(locks >= 1, 'the switch met the reader');
  });

  it('gives up with SQLite busy when the file is not let go in time, leaving it as it was', async () => {
    const path = join(dir, 'held.db');
    const reader = readLockedFile(path);
    try {
      const failed = await openOnThread({ path, lockWaitMs: 100 });
      assert.equal(failed.kind, 'failed');
      assert.match(failed.kind === 'failed' ? `${failed.code} ${failed.message}` : '', /^SQLITE_BUSY\b.*locked/);
    } finally {
      reader.release();
    }
    const after = new Database(path);
    assert.equal(after.pragma('journal_mode', { simple: true }), 'delete');
    after.close();
  });

  it('opens one new file from six threads at once, every one in WAL mode', async () => {
    for (let round = 0; round < 3; round++) {
      const path = join(dir, `together-${round}.db`);
      const startAt = new Int32Array(new SharedArrayBuffer(4));
      const opening = Array.from({ length: 6 }, () => openOnThread({ path, startAt }));
      // Let every thread reach its wait first: each posts nothing until it opens, so wait for them to be started.
      await new Promise((resolve) => setImmediate(resolve));
      Atomics.store(startAt, 0, 1);
      Atomics.notify(startAt, 0);
      const reports = await Promise.all(opening);
      assert.deepEqual(
        reports.map((report) => (report.kind === 'opened' ? report.mode : `${report.kind}: ${report.kind === 'failed' ? report.message : ''}`)),
        Array(6).fill('wal'),
        `round ${round}`,
      );
    }
  });
});
