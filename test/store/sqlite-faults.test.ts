import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreUnavailableError } from '../../src/store/port.js';
import { needsNewConnection, storeFaultOf, toStoreError } from '../../src/store/sqlite-faults.js';

describe('SQLite store faults', () => {
  it('names why the store cannot write from the error code, extended codes with their base', () => {
    const cases: [string | undefined, string | undefined][] = [
      ['SQLITE_FULL', 'full'],
      ['ENOSPC', 'full'],
      ['SQLITE_READONLY', 'read_only'],
      ['SQLITE_READONLY_DBMOVED', 'read_only'],
      ['EROFS', 'read_only'],
      ['SQLITE_BUSY', 'locked'],
      ['SQLITE_BUSY_SNAPSHOT', 'locked'],
      ['SQLITE_LOCKED', 'locked'],
      ['SQLITE_CONSTRAINT_UNIQUE', undefined],
      ['SQLITE_IOERR_WRITE', undefined],
      [undefined, undefined],
    ];
    assert.deepEqual(
      cases.map(([code]) => [code, storeFaultOf(code)]),
      cases,
    );
  });

  it('replaces the write connection after a read-only or I/O failure, not after a full disk or a lock', () => {
    assert.deepEqual(['SQLITE_READONLY', 'SQLITE_IOERR_FSYNC', 'SQLITE_FULL', 'SQLITE_BUSY', undefined].map(needsNewConnection), [true, true, false, false, false]);
  });

  it('rebuilds a writer-thread failure as StoreUnavailableError with the SQLite error as cause, or as that error', () => {
    const full = toStoreError({ message: 'SqliteError: database or disk is full', code: 'SQLITE_FULL' });
    assert.ok(full instanceof StoreUnavailableError);
    assert.equal(full.reason, 'full');
    assert.equal(full.message, 'the event store cannot write: its disk is full');
    assert.deepEqual([(full.cause as Error).message, (full.cause as { code?: string }).code], ['SqliteError: database or disk is full', 'SQLITE_FULL']);
    const other = toStoreError({ message: 'SqliteError: UNIQUE constraint failed', code: 'SQLITE_CONSTRAINT_UNIQUE' });
    assert.equal(other instanceof StoreUnavailableError, false);
    assert.equal(other.message, 'SqliteError: UNIQUE constraint failed');
  });
});
