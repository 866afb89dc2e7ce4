/**
 * Lease lifecycle: closed-loop clients run MozPool's full cycle over HTTP on a lab of devices —
 * `POST /api/device/any/request/` → the device images (PXE power cycle, second stage, verify) → the
 * request is `ready` → `POST /api/request/<id>/return/` → the device is free again — on a SQLite file
 * store with synchronous FULL. Hardware answers at once: in-process power, PXE and verify doubles, and
 * a second stage that posts its events over HTTP as soon as the device enters `pxe_booting`.
 *
 * The clients and the second stages run OUT of the server's process, in bench/lease-clients.ts (a
 * forked child), as a real load generator and real devices would: the server's process is labpool
 * plus one in-process log subscription (like the SSE tail) that forwards `pxe_booting`, request
 * `ready` and the device's detach to the child as small IPC batches. No polling, so latencies are the
 * lab's own plus one IPC hop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabpool, type RunningLabpool } from '../src/labpool.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { observeAppends } from '../src/metrics/observed-store.js';
import type { Subscription } from '../src/store/port.js';
import { createTestInventory } from '../test/support/lab-harness.js';
import { meets, percentile, type BenchRow, type BenchSection } from './bench-row.js';
import { startLeaseClients, watchLog } from './lease-clients-process.js';
import { instantHardware, instantLabConfig, prepareDevices } from './instant-lab.js';
import { singleConcurrent, singleSequential } from './store-append.js';
import { mozpoolDialect } from '../src/dialects/mozpool/mozpool-dialect.js';

const SERVER_ID = '127.0.0.1:8010';
const IMAGE = 'ubuntu';
const SECOND_STAGE = ['mobile_init_started', `${IMAGE}_downloading`, `${IMAGE}_extracting`, `${IMAGE}_rebooting`];
const TARGET = '>= 1000';

type Settings = { readonly devices: number; readonly clients: number; readonly warmupS: number; readonly measureS: number };

const FULL_RUN: Settings = { devices: 1_000, clients: 200, warmupS: 2, measureS: 10 };
const QUICK_RUN: Settings = { devices: 1_000, clients: 200, warmupS: 1, measureS: 3 };
/**
 * For profiling and diagnosis only: LEASE_MEASURE_S sets the measured window, LEASE_CLIENTS the
 * number of clients, LEASE_TRACE=1 prints progress each second and the slowest lifecycle's logs.
 */
const measureOverride = Number(process.env.LEASE_MEASURE_S ?? 0);
const clientsOverride = Number(process.env.LEASE_CLIENTS ?? 0);

async function startLab(settings: Settings, dir: string, held: Set<string>, appendCount: { value: number }): Promise<RunningLabpool> {
  return startLabpool(instantLabConfig(SERVER_ID, { kind: 'sqlite', path: join(dir, 'lease.db'), synchronous: 'FULL' }), {
    hardware: instantHardware(held),
    // Appends that stored events: one per decision.
    wrapStore: (store) =>
      observeAppends(store, (append) => {
        if (append.outcome === 'ok') appendCount.value += 1;
      }),
  });
}

/** labpool's own single-event appends on the same kind of store (file, FULL): the store's limit on this machine. */
async function appendReference(dir: string, quick: boolean): Promise<{ sequential: number; concurrent: number }> {
  const store = openSqliteStore({ path: join(dir, 'append.db'), synchronous: 'FULL' });
  try {
    const sequential = await singleSequential(store, 'ref', quick ? 500 : 2_000);
    const concurrent = await singleConcurrent(store, 'ref', quick ? 5_000 : 20_000, 64);
    return { sequential: sequential.eventsPerSecond, concurrent: concurrent.eventsPerSecond };
  } finally {
    await store.close();
  }
}

function lastPosition(labpool: RunningLabpool): number {
  return Number(labpool.projections.position());
}

export const leaseLifecycle: BenchSection = async ({ quick }) => {
  const chosen = quick ? QUICK_RUN : FULL_RUN;
  const settings = { ...chosen, measureS: measureOverride || chosen.measureS, clients: clientsOverride || chosen.clients };
  const tracing = process.env.LEASE_TRACE === '1';
  const dir = mkdtempSync(join(tmpdir(), 'labpool-lease-'));
  const held = new Set<string>();
  const appendCount = { value: 0 };
  // The load process boots (tsx) while the lab starts.
  const clients = startLeaseClients();
  let labpool: RunningLabpool | undefined;
  let watch: Subscription | undefined;
  try {
    labpool = await startLab(settings, dir, held, appendCount);
    // The test inventory's devices are imaged by 127.0.0.1:8010, this server.
    await prepareDevices(labpool, createTestInventory(settings.devices, 'bench'), held);
    await clients.booted;
    let detached = 0;
    watch = watchLog(labpool, (kind, key) => {
      if (kind === 'freed') detached += 1;
      clients.forward(kind, key);
    });
    const job = { url: labpool.url, clients: settings.clients, image: IMAGE, secondStage: SECOND_STAGE };
    // Warm up (JIT, caches), then measure a closed loop for a fixed time.
    const warm = await clients.run({ ...job, durationMs: settings.warmupS * 1000 });
    await labpool.projections.waitFor(labpool.projections.position());
    const before = lastPosition(labpool);
    const asksBefore = labpool.actors.stats().asks;
    const appendsBefore = appendCount.value;
    const detachedBefore = detached;
    const startedMs = performance.now();
    const cpuBefore = process.cpuUsage();
    const trace = tracing
      ? setInterval(() => console.error(`[lease] t=${((performance.now() - startedMs) / 1000).toFixed(0)}s lifecycles=${detached - detachedBefore} events=${lastPosition(labpool!) - before}`), 1000)
      : undefined;
    const eluBefore = performance.eventLoopUtilization();
    const measured = await clients.run({ ...job, durationMs: settings.measureS * 1000 });
    const serverLoopBusy = performance.eventLoopUtilization(eluBefore).utilization;
    clearInterval(trace);
    const cpu = process.cpuUsage(cpuBefore);
    // Every lifecycle ended with its device detached; the verify on re-entering ready follows at once.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events = lastPosition(labpool) - before;
    const asks = labpool.actors.stats().asks - asksBefore;
    const appends = appendCount.value - appendsBefore;
    if (tracing && measured.slowest !== undefined) {
      const slowest = measured.slowest;
      const models = labpool.part(mozpoolDialect).lab.readModels;
      console.error(`[lease] slowest ${slowest.ms} ms: request ${slowest.id} on ${slowest.device}`);
      for (const line of models.requests.log(slowest.id)) console.error(`  R ${line.timestamp} ${line.message}`);
      for (const line of models.devices.log(slowest.device).slice(-40)) console.error(`  D ${line.timestamp} ${line.message}`);
    }
    const failures = warm.failures + measured.failures;
    if (failures > 0) console.error(`[lease] ${failures} failures, first: ${warm.firstFailure ?? measured.firstFailure}`);
    await watch.close();
    watch = undefined;
    await clients.close();
    await labpool.stop();
    labpool = undefined;
    const reference = await appendReference(dir, quick);

    const lifecycles = measured.lifecycles;
    const seconds = measured.seconds;
    const rate = lifecycles / seconds;
    const toReady = [...measured.toReadyMs];
    const perLifecycle = events / lifecycles;
    const eventRate = events / seconds;
    const lifecycleLimit = reference.concurrent / perLifecycle;
    const serverCpuMs = (cpu.user + cpu.system) / 1000;
    const described = `${settings.clients} clients, ${settings.devices} devices, sqlite FULL`;
    const rows: BenchRow[] = [
      {
        section: 'lease',
        metric: `lifecycles/s (${described})`,
        value: rate,
        unit: 'lifecycles/s',
        reference: { label: 'group-commit append rate / events per lifecycle', value: lifecycleLimit },
        ratio: rate / lifecycleLimit,
        target: TARGET,
        met: meets(rate, TARGET),
      },
      { section: 'lease', metric: 'time to ready: p50', value: percentile(toReady, 50), unit: 'ms' },
      { section: 'lease', metric: 'time to ready: p99', value: percentile(toReady, 99), unit: 'ms' },
      { section: 'lease', metric: 'events appended per lifecycle', value: perLifecycle, unit: 'events' },
      // Commands asked of actors (devices, requests, id allocation) and appends (decisions that stored events).
      { section: 'lease', metric: 'actor asks per lifecycle', value: asks / lifecycles, unit: 'asks' },
      { section: 'lease', metric: 'appends per lifecycle', value: appends / lifecycles, unit: 'appends' },
      // Both processes' CPU (server, and the clients and second stages in theirs) per lifecycle, as before the split.
      { section: 'lease', metric: 'process CPU per lifecycle (server + clients)', value: (serverCpuMs + measured.cpuMs) / lifecycles, unit: 'ms' },
      // The server process alone (labpool, its writer thread and the one log subscription).
      { section: 'lease', metric: 'server process CPU per lifecycle', value: serverCpuMs / lifecycles, unit: 'ms' },
      // Below 100 %, the server's event loop waits part of the time (on commits, on clients).
      { section: 'lease', metric: 'server event loop busy during the run', value: serverLoopBusy * 100, unit: '%' },
      {
        section: 'lease',
        metric: 'events appended/s during the lease run',
        value: eventRate,
        unit: 'events/s',
        reference: { label: 'single-event appends, 64 appenders (group commit, FULL)', value: reference.concurrent },
        ratio: eventRate / reference.concurrent,
      },
      { section: 'lease', metric: 'single-event appends, 1 appender (FULL): the fsync bound', value: reference.sequential, unit: 'events/s' },
    ];
    return rows;
  } finally {
    await watch?.close();
    await clients.close();
    await labpool?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

// `tsx bench/lease-lifecycle.ts [--quick]` runs this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await leaseLifecycle({ quick: process.argv.includes('--quick') });
  console.table(
    rows.map((row) => ({
      metric: row.metric,
      value: Math.round(row.value * 100) / 100,
      unit: row.unit,
      reference: row.reference ? `${row.reference.label}: ${Math.round(row.reference.value)}` : '',
      ratio: row.ratio?.toFixed(2) ?? '',
      target: row.target ?? '',
      met: row.met ?? '',
    })),
  );
}
