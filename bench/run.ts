/**
 * `npm run bench [-- --quick]`: prints one table and writes bench/results.json. Never part of npm test.
 * The EventStoreDB rows run against the test emulator (in-memory, same process): they measure the
 * client and gRPC path, not a real server; set EVENTSTORE_URL to add rows for a real one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { connectEventStoreDb } from '../src/store/eventstoredb-store.js';
import type { EventStore } from '../src/store/port.js';
import { startEsdbEmulator } from '../test/support/esdb-emulator.js';
import { batches, singleConcurrent, singleSequential, type AppendRate } from './store-append.js';

const quick = process.argv.includes('--quick');
const scale = quick ? 0.2 : 1;

interface Row extends AppendRate {
  readonly adapter: string;
}

async function measureStore(adapter: string, store: EventStore, counts: { single: number; concurrent: number; batch: number }): Promise<Row[]> {
  const prefix = `b${Date.now().toString(36)}`;
  const rates = [
    await singleSequential(store, prefix, counts.single),
    await singleConcurrent(store, prefix, counts.concurrent, 64),
    await batches(store, prefix, counts.batch),
  ];
  return rates.map((rate) => ({ adapter, ...rate }));
}

async function measureSqlite(synchronous: 'FULL' | 'NORMAL'): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-bench-'));
  const store = openSqliteStore({ path: join(dir, 'bench.db'), synchronous });
  try {
    const n = Math.round(scale * (synchronous === 'FULL' ? 5_000 : 20_000));
    return await measureStore(`sqlite ${synchronous}`, store, { single: n, concurrent: n * 4, batch: n * 10 });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureEventStoreDb(label: string, url: string): Promise<Row[]> {
  const store = connectEventStoreDb(url);
  try {
    const n = Math.round(scale * 2_000);
    return await measureStore(label, store, { single: n, concurrent: n * 2, batch: n * 10 });
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [...(await measureSqlite('FULL')), ...(await measureSqlite('NORMAL'))];
  const emulator = await startEsdbEmulator();
  try {
    rows.push(...(await measureEventStoreDb('eventstoredb (emulator)', emulator.connectionString)));
  } finally {
    await emulator.stop();
  }
  if (process.env.EVENTSTORE_URL) rows.push(...(await measureEventStoreDb('eventstoredb (real)', process.env.EVENTSTORE_URL)));
  console.table(rows.map((row) => ({ adapter: row.adapter, scenario: row.scenario, events: row.events, 'events/s': Math.round(row.eventsPerSecond) })));
  const results = { measuredAt: new Date().toISOString(), quick, node: process.version, store: rows };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results.json');
}

await main();
