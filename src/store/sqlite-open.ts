import Database from 'better-sqlite3';
import { errorCodeOf } from './sqlite-faults.js';

export type WalOpenOptions = {
  readonly synchronous: 'FULL' | 'NORMAL';
  /** How long a file another process holds may keep this open waiting for WAL mode (default 30 s). */
  readonly lockWaitMs?: number;
  /** Told each time the switch to WAL met a lock and will be tried again (tests watch it). */
  readonly onLocked?: () => void;
};

const LOCK_WAIT_MS = 30_000;
/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
const SWITCH_BUSY_MS = 50;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Opens `path` in WAL mode with a busy timeout. Switching a file to WAL needs it alone for a moment,
 * and SQLite does not always run the busy handler for that switch: when several servers start on one
 * new file at once, all but one may meet the lock at once ("database is locked"). So the mode is read
 * first (WAL is a property of the file: after its first open there is nothing to switch), and a
 * switch that meets a lock is tried again, backing off, until another process has made the file WAL
 * or `lockWaitMs` has passed. Synchronous: it runs once per connection, at start.
 */
export function openWalDatabase(path: string, options: WalOpenOptions): Database.Database {
  // A short busy wait while switching (a switch that waits is tried again here), the store's after.
  const db = new Database(path, { timeout: SWITCH_BUSY_MS });
  try {
    switchToWal(db, options);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma(`synchronous = ${options.synchronous}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function switchToWal(db: Database.Database, options: WalOpenOptions): void {
  const deadline = Date.now() + (options.lockWaitMs ?? LOCK_WAIT_MS);
  for (let pauseMs = 5; ; pauseMs = Math.min(2 * pauseMs, 250)) {
    try {
      // In memory (or where WAL cannot be had) SQLite keeps another mode: that is the one it can use.
      if (journalMode(db) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!errorCodeOf(error)?.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
    }
    options.onLocked?.();
    Atomics.wait(sleeper, 0, 0, pauseMs);
  }
}

function journalMode(db: Database.Database): string {
  return String(db.pragma('journal_mode', { simple: true })).toLowerCase();
}
