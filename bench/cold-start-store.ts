/**
 * Builds (once, cached in os.tmpdir() by size) the SQLite stores the cold-start bench starts labpool
 * on: N devices with 20 real device events each, produced by the device decider in memory and
 * appended many streams per transaction. Two files: without snapshots, and with one snapshot per
 * device stream at its last revision (PersistentActor's `{ version: 1, state }` envelope).
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeviceDecider } from '../src/domain/device/device-decider.js';
import type { DeviceCommand } from '../src/domain/device/device-commands.js';
import type { DeviceEvent } from '../src/domain/device/device-events.js';
import type { DeviceState } from '../src/domain/device/device-state.js';
import { requestHolder } from '../src/dialects/mozpool/domain/request-holder.js';
import type { Json } from '../src/store/port.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';

export const BENCH_SERVER_ID = 'bench-cold-start:8010';
/** Event times start here; the measured server's clock is set just after them so no deadline fires. */
export const BENCH_T0_MS = 1_700_000_000_000;
/** The last deadline written (ready's re-verify) is at about T0 + 800 s; run the server's clock from here. */
export const BENCH_CLOCK_START_MS = BENCH_T0_MS + 300_000;
export const EVENTS_PER_DEVICE = 20;
// 2: holder events replaced the request attach/detach events.
const FORMAT_VERSION = 2;

export function deviceName(i: number): string {
  return `bench-${String(i).padStart(6, '0')}`;
}

/** The 20 events a device's actor would have written: registration, self-test by power cycle, three leases. */
export function deviceHistory(i: number): { events: DeviceEvent[]; state: DeviceState } {
  const decider = createDeviceDecider();
  let state = decider.initialState;
  const events: DeviceEvent[] = [];
  let t = BENCH_T0_MS + (i % 1000);
  const run = (command: DeviceCommand) => {
    const decision = decider.decide(command, state);
    if (!decision.ok) throw new Error(`${deviceName(i)}: ${decision.rejection.message}`);
    for (const event of decision.events) {
      state = decider.evolve(state, event);
      events.push(event);
    }
  };
  const inventory = {
    fqdn: `${deviceName(i)}.lab.example`,
    inventoryId: i + 1,
    macAddress: `02:00:${[24, 16, 8, 0].map((shift) => ((i >> shift) & 0xff).toString(16).padStart(2, '0')).join(':')}`,
    imagingServer: BENCH_SERVER_ID,
    relayInfo: `pdu${Math.floor(i / 48)}.lab.example:161/${(i % 48) + 1}`,
    hardwareType: 'panda',
    environment: i % 10 === 0 ? 'staging' : 'prod',
    tags: [],
    labels: {},
    rack: null,
    rackLabels: {},
  };
  run({ type: 'Register', name: deviceName(i), inventory, nowMs: t });
  run({ type: 'Timeout', deadline: decider.nextDeadline!(state)!, nowMs: (t += 10) });
  run({ type: 'Continue', seq: state.seq, pxeConfig: null, nowMs: (t += 10) });
  run({ type: 'PowerCycleResult', seq: state.seq, ok: true, error: null, failure: 'retry', nowMs: (t += 10) });
  run({ type: 'Timeout', deadline: decider.nextDeadline!(state)!, nowMs: (t += 200_000) });
  run({ type: 'VerifyResult', seq: state.seq, ok: true, error: null, nowMs: (t += 10) });
  for (let requestId = i * 3 + 1; events.length < EVENTS_PER_DEVICE; requestId++) {
    run({ type: 'AttachHolder', holder: requestHolder(requestId), nowMs: (t += 10) });
    run({ type: 'DetachHolder', holder: requestHolder(requestId), reason: 'returned', nowMs: (t += 10) });
  }
  if (events.length !== EVENTS_PER_DEVICE) throw new Error(`expected ${EVENTS_PER_DEVICE} events, got ${events.length}`);
  return { events, state };
}

export type BenchStores = { readonly plain: string; readonly snapshots: string };

/** Paths of the two stores for `devices`, generating them when not cached yet. */
export async function benchStores(devices: number): Promise<BenchStores> {
  const base = join(tmpdir(), `labpool-bench-cold-start-v${FORMAT_VERSION}-${devices}x${EVENTS_PER_DEVICE}`);
  const paths = { plain: `${base}.db`, snapshots: `${base}-snapshots.db` };
  if (existsSync(paths.plain) && existsSync(paths.snapshots)) return paths;
  const partial = { plain: `${paths.plain}.partial`, snapshots: `${paths.snapshots}.partial` };
  for (const path of Object.values(partial)) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const plain = openSqliteStore({ path: partial.plain, synchronous: 'NORMAL' });
  const withSnapshots = openSqliteStore({ path: partial.snapshots, synchronous: 'NORMAL' });
  const batch = 2_000;
  for (let start = 0; start < devices; start += batch) {
    const appends: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(devices, start + batch); i++) {
      const { events, state } = deviceHistory(i);
      const stream = `device-${deviceName(i)}`;
      const metadata = { actor: 'lifeguard', correlationId: `bench-${i}`, server: BENCH_SERVER_ID };
      const toAppend = events.map((event) => ({ type: event.type, data: event.data, metadata }));
      // Appends made in one event-loop turn share one transaction (the store's group commit).
      appends.push(plain.appendToStream(stream, toAppend, 'no_stream'), withSnapshots.appendToStream(stream, toAppend, 'no_stream'));
      appends.push(withSnapshots.writeSnapshot(stream, { revision: EVENTS_PER_DEVICE - 1, state: { version: 1, state: state as unknown as Json } }));
    }
    await Promise.all(appends);
  }
  await plain.close();
  await withSnapshots.close();
  renameSync(partial.plain, paths.plain);
  renameSync(partial.snapshots, paths.snapshots);
  return paths;
}
