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
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { syncInventory } from '../src/lab/inventory-sync.js';
import type { HardwareResult, LabHardware } from '../src/lab/hardware-ports.js';
import { startLabpool, type RunningLabpool } from '../src/labpool.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { observeAppends } from '../src/metrics/observed-store.js';
import type { RecordedEvent, Subscription } from '../src/store/port.js';
import { createTestInventory } from '../test/support/lab-harness.js';
import { meets, percentile, type BenchRow, type BenchSection } from './bench-row.js';
import type { ClientsMessage, ClientsReply, LeaseRun, LeaseRunResult, Seen } from './lease-clients.js';
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

const OK: HardwareResult = { ok: true };

/** Power, PXE and verify that answer at once; during setup the power of `held` devices never answers, as the test harness does. */
function instantHardware(held: Set<string>): LabHardware {
  const ok = () => Promise.resolve(OK);
  return {
    power: { cycle: (target) => (held.has(target.device) ? new Promise<HardwareResult>(() => undefined) : ok()), off: ok },
    pxe: { write: ok, clear: ok },
    verify: { check: ok },
  };
}

/** The forked load process (bench/lease-clients.ts): lease clients and second stages. */
interface LeaseClients {
  /** Resolves once the child is up. */
  readonly booted: Promise<void>;
  /** Queues what the log showed for the child; batches go out once per turn of the event loop. */
  forward(kind: keyof Seen, key: string): void;
  run(job: LeaseRun): Promise<LeaseRunResult>;
  /** Ends the child (asks, then kills after 2 s); safe to call at any time, more than once. */
  close(): Promise<void>;
}

/** How long after a run should have ended its clients may take to answer before the bench gives up. */
const RUN_GRACE_MS = 60_000;

function startLeaseClients(): LeaseClients {
  const child: ChildProcess = fork(new URL('./lease-clients.ts', import.meta.url), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // Should this process end without close() (process.exit, a crash), the child goes with it.
  const killChild = () => child.kill();
  process.once('exit', killChild);
  let waiting: { resolve(result: LeaseRunResult): void; reject(error: Error): void } | undefined;
  let exited: Error | undefined;
  let onBooted: { resolve(): void; reject(error: Error): void } | undefined;
  const booted = new Promise<void>((resolve, reject) => (onBooted = { resolve, reject }));
  booted.catch(() => undefined);
  const failAll = (error: Error) => {
    onBooted?.reject(error);
    waiting?.reject(error);
    waiting = undefined;
  };
  child.on('message', (message: ClientsReply) => {
    if ('booted' in message) onBooted?.resolve();
    else if ('done' in message) {
      waiting?.resolve(message.done);
      waiting = undefined;
    } else failAll(new Error(`lease clients: ${message.error}`));
  });
  child.on('error', (error) => failAll(error));
  child.on('exit', (code, signal) => {
    process.off('exit', killChild);
    exited = new Error(`lease clients exited (${code ?? signal})`);
    failAll(exited);
  });

  let pending: { pxe: string[]; ready: number[]; freed: string[] } | undefined;
  const flush = () => {
    const seen = pending;
    pending = undefined;
    if (seen !== undefined && child.connected) child.send({ seen } satisfies ClientsMessage);
  };
  return {
    booted,
    forward(kind, key) {
      if (pending === undefined) {
        pending = { pxe: [], ready: [], freed: [] };
        setImmediate(flush);
      }
      if (kind === 'ready') pending.ready.push(Number(key));
      else pending[kind].push(key);
    },
    run(job) {
      if (exited !== undefined) return Promise.reject(exited);
      return new Promise((resolve, reject) => {
        // Lifecycles that never end (the log watch missing the events clients wait for) fail the bench, not hang it.
        const stalled = setTimeout(() => {
          waiting = undefined;
          reject(new Error(`lease clients: no answer ${RUN_GRACE_MS / 1000} s after a ${job.durationMs / 1000} s run should have ended: lifecycles stalled`));
        }, job.durationMs + RUN_GRACE_MS);
        const settle =
          <Value>(done: (value: Value) => void) =>
          (value: Value) => {
            clearTimeout(stalled);
            done(value);
          };
        waiting = { resolve: settle(resolve), reject: settle(reject) };
        child.send({ run: job } satisfies ClientsMessage);
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exit = once(child, 'exit');
      if (child.connected) child.send({ exit: true } satisfies ClientsMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

async function startLab(settings: Settings, dir: string, held: Set<string>, appendCount: { value: number }): Promise<RunningLabpool> {
  const base = loadConfig({ env: {} });
  return startLabpool(
    {
      ...base,
      serverId: SERVER_ID,
      http: { host: '127.0.0.1', port: 0 },
      store: { kind: 'sqlite', path: join(dir, 'lease.db'), synchronous: 'FULL' },
      actors: { snapshotEvery: 100, idleShutdownMs: 0, queryTimeoutMs: 30_000 },
      // The bench must never wait on a LifeGuard timer; none of the defaults is reached on the happy path.
      inventory: { ...base.inventory, file: null },
      sim: { ...base.sim, enabled: false },
    },
    {
      hardware: instantHardware(held),
      // Appends that stored events: one per decision.
      wrapStore: (store) =>
        observeAppends(store, (append) => {
          if (append.outcome === 'ok') appendCount.value += 1;
        }),
    },
  );
}

/** Registers the inventory and forces every device from its self-test into `ready`, as an operator would. */
async function prepareDevices(labpool: RunningLabpool, settings: Settings, held: Set<string>): Promise<string[]> {
  const inventory = createTestInventory(settings.devices, 'bench');
  const names = inventory.devices.map((device) => device.name);
  for (const name of names) held.add(name);
  await syncInventory(labpool.lab, inventory, { force: false });
  const devices = labpool.lab.context.kinds.devices;
  const pending = new Set(names);
  for (let round = 0; pending.size > 0; round++) {
    if (round > 500) throw new Error(`devices not in pxe_power_cycling: ${[...pending].slice(0, 5).join(', ')}…`);
    await Promise.all(
      [...pending].map(async (name) => {
        if ((await devices.read(name)).state.state !== 'pxe_power_cycling') return;
        const result = await labpool.part(mozpoolDialect).lab.commands.forceState(name, 'pxe_power_cycling', 'ready', { actor: 'bench' });
        if (!result.ok) throw new Error(`cannot force ${name} ready: ${result.message}`);
        pending.delete(name);
      }),
    );
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  held.clear();
  // Let the ready devices verify (their reaction on entering ready) before measuring.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return names;
}

/** The second stage's and the clients' eyes: one live subscription on the log, as `labpool tail` has. */
function watchLog(labpool: RunningLabpool, forward: (kind: keyof Seen, key: string) => void): Subscription {
  const onEvent = (event: RecordedEvent) => {
    const data = event.data as { to?: string };
    if (event.type === 'DeviceStateEntered' && data.to === 'pxe_booting') forward('pxe', event.stream.slice('device-'.length));
    else if (event.type === 'RequestStateEntered' && data.to === 'ready') forward('ready', event.stream.slice('request-'.length));
    else if (event.type === 'DeviceHolderDetached') forward('freed', event.stream.slice('device-'.length));
  };
  return labpool.store.subscribeToAll(labpool.projections.position(), { onEvent }, { eventTypes: ['DeviceStateEntered', 'RequestStateEntered', 'DeviceHolderDetached'] });
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
    await prepareDevices(labpool, settings, held);
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
