import { StoreUnavailableError, type StoreUnavailableReason } from './port.js';

/**
 * Why a write failed, from the code of the error (better-sqlite3's SQLite code, or a Node errno):
 * the faults that pass without a change to labpool. Any other code is not a store fault: undefined.
 * SQLite maps ENOSPC to SQLITE_FULL; SQLITE_READONLY comes from a connection that opened its file
 * read-only (a read-only file or filesystem); SQLITE_BUSY is what another process's write lock
 * gives once the busy timeout has passed. Extended codes (`SQLITE_READONLY_DBMOVED`) share their base's reason.
 */
export function storeFaultOf(code: string | undefined): StoreUnavailableReason | undefined {
  if (code === undefined) return undefined;
  const base = /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code;
  return FAULTS_BY_CODE.get(base);
}

const FAULTS_BY_CODE: ReadonlyMap<string, StoreUnavailableReason> = new Map([
  ['SQLITE_FULL', 'full'],
  ['ENOSPC', 'full'],
  ['EDQUOT', 'full'],
  ['SQLITE_READONLY', 'read_only'],
  ['EROFS', 'read_only'],
  ['EACCES', 'read_only'],
  ['EPERM', 'read_only'],
  ['SQLITE_BUSY', 'locked'],
  ['SQLITE_LOCKED', 'locked'],
]);

/**
 * A connection that failed this way must be replaced before the next write: one that opened while
 * its file was read-only stays read-only after the file is writable again, and one that met an I/O
 * error may keep a broken state.
 */
export function needsNewConnection(code: string | undefined): boolean {
  return code !== undefined && (storeFaultOf(code) === 'read_only' || code.startsWith('SQLITE_IOERR'));
}

/** The `code` property of a thrown value (better-sqlite3's SqliteError, a Node system error), if any. */
export function errorCodeOf(error: unknown): string | undefined {
  const code: unknown = typeof error === 'object' && error !== null ? (error as { readonly code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The error a failed write rejects with, rebuilt from what crossed from the writer thread: a
 * StoreUnavailableError for a store fault (the writer's error as its cause), else that error.
 */
export function toStoreError(failure: { readonly message: string; readonly code?: string }): Error {
  const error = Object.assign(new Error(failure.message), failure.code === undefined ? {} : { code: failure.code });
  const reason = storeFaultOf(failure.code);
  return reason === undefined ? error : new StoreUnavailableError(reason, { cause: error });
}
