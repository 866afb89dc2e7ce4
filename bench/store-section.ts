/**
 * Section 1, store: labpool's SQLite event-store appends (openSqliteStore) against raw better-sqlite3
 * appends with the adapter's own settings (same schema, same pragmas, one transaction per event with
 * its revision-check SELECT): the embedded limit on this disk. FULL and NORMAL sync.
 * Every measurement runs for a fixed time, so the section keeps to its budget.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { SQLITE_SCHEMA } from '../src/store/sqlite-rows.js';
import type { EventStore, EventToAppend } from '../src/store/port.js';
import type { BenchRow, BenchSection } from './bench-row.js';

type Sync = 'FULL' | 'NORMAL';

const event = (n: number): EventToAppend => ({
  type: 'DeviceStateEntered',
  data: { from: 'ready', to: 'pxe_booting', n, timeoutAtMs: 1_700_000_000_000 + n },
  metadata: { correlationId: `bench-${n}`, actor: 'bench' },
});

function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-bench-store-'));
  return run(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Events appended and seconds spent, summed over the rounds of one measurement. */
class Tally {
  events = 0;
  seconds = 0;
  add(events: number, seconds: number): void {
    this.events += events;
    this.seconds += seconds;
  }
  get rate(): number {
    return this.events / this.seconds;
  }
}

/**
 * Raw better-sqlite3: the adapter's pragmas and schema; `perTransaction` events per transaction, each
 * with the adapter's revision-check SELECT and INSERT. `run(ms)` appends in a synchronous loop.
 */
function openRaw(path: string, sync: Sync, perTransaction: number): { run(ms: number, tally: Tally): void; close(): void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.pragma('busy_timeout = 5000');
  db.exec(SQLITE_SCHEMA);
  const lastRevision = db.prepare<[string], { revision: number | null }>('SELECT MAX(revision) AS revision FROM events WHERE stream = ?');
  const insert = db.prepare('INSERT INTO events (stream, revision, id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const appendOne = (stream: string, n: number) => {
    const revision = (lastRevision.get(stream)?.revision ?? -1) + 1;
    const e = event(n);
    insert.run(stream, revision, randomUUID(), e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), Date.now());
  };
  const transaction = db.transaction((first: number) => {
    for (let i = 0; i < perTransaction; i++) appendOne(`raw-${(first + i) % 100}`, first + i);
  });
  let n = 0;
  return {
    run(ms, tally) {
      const started = performance.now();
      const deadline = started + ms;
      let events = 0;
      while (performance.now() < deadline) {
        transaction.immediate(n);
        n += perTransaction;
        events += perTransaction;
      }
      tally.add(events, (performance.now() - started) / 1000);
    },
    close: () => db.close(),
  };
}

let runs = 0;

/** labpool's store, `appenders` loops each appending one event and awaiting it, each on its own stream with a revision check, for `ms`. */
async function labpoolAppends(store: EventStore, ms: number, appenders: number, tally = new Tally()): Promise<number> {
  let total = 0;
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: appenders }, async (_, a) => {
      const stream = `lab-${(runs += 1)}-${a}`;
      for (let i = 0; performance.now() < deadline; i++) {
        await store.appendToStream(stream, [event(i)], i === 0 ? 'no_stream' : i - 1);
        total += 1;
      }
    }),
  );
  tally.add(total, (performance.now() - started) / 1000);
  return tally.rate;
}

/**
 * The disk is shared (other processes' fsyncs slow ours), so raw and labpool are measured in
 * alternating short rounds and summed: both see the same conditions, and the ratio holds.
 */
async function measureSync(sync: Sync, ms: number, rounds: number): Promise<BenchRow[]> {
  return withDir(async (dir) => {
    const raw = openRaw(join(dir, 'raw.db'), sync, 1);
    const rawGrouped = openRaw(join(dir, 'raw-grouped.db'), sync, 64);
    const store = openSqliteStore({ path: join(dir, 'labpool.db'), synchronous: sync });
    const tallies = { raw: new Tally(), rawGrouped: new Tally(), single: new Tally(), concurrent: new Tally() };
    const slice = ms / rounds;
    try {
      await labpoolAppends(store, Math.min(200, slice), 1); // warm-up
      for (let round = 0; round < rounds; round++) {
        raw.run(slice, tallies.raw);
        await labpoolAppends(store, slice, 1, tallies.single);
        await labpoolAppends(store, slice, 64, tallies.concurrent);
        rawGrouped.run(slice, tallies.rawGrouped);
      }
    } finally {
      raw.close();
      rawGrouped.close();
      await store.close();
    }
    const reference = { label: `raw ${sync}, 1 event/txn`, value: tallies.raw.rate };
    const groupReference = { label: `raw ${sync}, 64 events/txn`, value: tallies.rawGrouped.rate };
    return [
      { section: 'store', metric: `raw SQLite ${sync}: 1 event/transaction (embedded limit)`, value: tallies.raw.rate, unit: 'events/s' },
      { section: 'store', metric: `raw SQLite ${sync}: 64 events/transaction`, value: tallies.rawGrouped.rate, unit: 'events/s' },
      { section: 'store', metric: `labpool append ${sync}: single events, 1 appender`, value: tallies.single.rate, unit: 'events/s', reference },
      { section: 'store', metric: `labpool append ${sync}: single events, 64 appenders (group commit)`, value: tallies.concurrent.rate, unit: 'events/s', reference },
      { section: 'store', metric: `labpool append ${sync}: 64 appenders vs 64 events/txn`, value: tallies.concurrent.rate, unit: 'events/s', reference: groupReference },
    ];
  });
}

export const storeSection: BenchSection = async ({ quick }) => {
  const ms = quick ? 900 : 3_000;
  const rounds = quick ? 3 : 6;
  return [...(await measureSync('FULL', ms, rounds)), ...(await measureSync('NORMAL', ms, rounds))];
};

/** With EVENTSTORE_URL set, labpool's EventStoreDB adapter against that server (no reference: the limit is the server's). */
export const eventStoreDbRows = async (url: string, quick: boolean): Promise<BenchRow[]> => {
  const { connectEventStoreDb } = await import('../src/store/eventstoredb-store.js');
  const store = connectEventStoreDb(url);
  const ms = quick ? 900 : 3_000;
  try {
    const prefix = `bench${Date.now().toString(36)}`;
    const single = await labpoolAppendsOn(store, prefix, ms, 1);
    const concurrent = await labpoolAppendsOn(store, prefix, ms, 64);
    return [
      { section: 'store', metric: 'labpool append EventStoreDB: single events, 1 appender', value: single, unit: 'events/s' },
      { section: 'store', metric: 'labpool append EventStoreDB: single events, 64 appenders', value: concurrent, unit: 'events/s' },
    ];
  } finally {
    await store.close();
  }
};

function labpoolAppendsOn(store: EventStore, prefix: string, ms: number, appenders: number): Promise<number> {
  return labpoolAppends({ ...store, appendToStream: (stream, events, expected) => store.appendToStream(`${prefix}-${stream}`, events, expected) }, ms, appenders);
}
