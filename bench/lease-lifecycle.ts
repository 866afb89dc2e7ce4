/**
 * Lease lifecycle: closed-loop clients run MozPool's full cycle over HTTP on a lab of devices —
 * `POST /api/device/any/request/` → the device images (PXE power cycle, second stage, verify) → the
 * request is `ready` → `POST /api/request/<id>/return/` → the device is free again — on a SQLite file
 * store with synchronous FULL. Hardware answers at once: in-process power, PXE and verify doubles, and
 * a second stage that posts its events over HTTP as soon as the device enters `pxe_booting`.
 *
 * The bench watches the log in-process (one subscription, like the SSE tail) to see `pxe_booting`,
 * request `ready` and the device's detach: no polling, so latencies are the lab's own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { syncInventory } from '../src/lab/inventory-sync.js';
import type { HardwareResult, LabHardware } from '../src/lab/hardware-ports.js';
import { startLabpool, type RunningLabpool } from '../src/labpool.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import type { RecordedEvent, Subscription } from '../src/store/port.js';
import { createTestInventory } from '../test/support/lab-harness.js';
import { meets, percentile, type BenchRow, type BenchSection } from './bench-row.js';
import { singleConcurrent, singleSequential } from './store-append.js';

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

/** One waiter per key, resolved by the log watcher. */
class Waiters {
  private readonly waiting = new Map<string, () => void>();
  wait(key: string): Promise<void> {
    return new Promise((resolve) => this.waiting.set(key, resolve));
  }
  fire(key: string): void {
    const resolve = this.waiting.get(key);
    if (resolve === undefined) return;
    this.waiting.delete(key);
    resolve();
  }
}

/**
 * Clients and second stages share kept-alive connections, as a load generator would: bursts of new
 * connections overflow the listen queue while the server is busy, and each dropped SYN costs 1-3 s.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1_024 });

function http(url: string, method: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: payload === undefined ? {} : { 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function startLab(settings: Settings, dir: string, held: Set<string>): Promise<RunningLabpool> {
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
    { hardware: instantHardware(held) },
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
        const result = await labpool.lab.commands.forceState(name, 'pxe_power_cycling', 'ready', { actor: 'bench' });
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

type Watch = { readonly subscription: Subscription; readonly ready: Waiters; readonly freed: Waiters };

/** The second stage and the clients' eyes: one live subscription on the log, as `labpool tail` has. */
function watchLog(labpool: RunningLabpool, onPxeBooting: (device: string) => void): Watch {
  const ready = new Waiters();
  const freed = new Waiters();
  const onEvent = (event: RecordedEvent) => {
    const data = event.data as { to?: string };
    if (event.type === 'DeviceStateEntered' && data.to === 'pxe_booting') onPxeBooting(event.stream.slice('device-'.length));
    else if (event.type === 'RequestStateEntered' && data.to === 'ready') ready.fire(event.stream.slice('request-'.length));
    else if (event.type === 'DeviceRequestDetached') freed.fire(event.stream.slice('device-'.length));
  };
  const subscription = labpool.store.subscribeToAll(labpool.projections.position(), { onEvent });
  return { subscription, ready, freed };
}

type Sample = { readonly startedMs: number; readonly readyMs: number; readonly endedMs: number; readonly id: number; readonly device: string };

async function runClients(url: string, watch: Watch, settings: Settings, stopAtMs: number, samples: Sample[], failures: string[]): Promise<void> {
  async function client(n: number): Promise<void> {
    while (performance.now() < stopAtMs) {
      const startedMs = performance.now();
      const created = await http(`${url}/api/device/any/request/`, 'POST', { assignee: `bench-${n}`, duration: 600, image: IMAGE });
      if (created.status !== 200) {
        failures.push(`request: ${created.status} ${created.text}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      const { id, assigned_device: device } = (JSON.parse(created.text) as { request: { id: number; assigned_device: string } }).request;
      const readyNow = watch.ready.wait(String(id));
      const freedNow = watch.freed.wait(device);
      await readyNow;
      const readyMs = performance.now();
      const returned = await http(`${url}/api/request/${id}/return/`, 'POST');
      if (returned.status !== 204) failures.push(`return: ${returned.status} ${returned.text}`);
      await freedNow;
      samples.push({ startedMs, readyMs, endedMs: performance.now(), id, device });
    }
  }
  await Promise.all(Array.from({ length: settings.clients }, (_, n) => client(n)));
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
  const dir = mkdtempSync(join(tmpdir(), 'labpool-lease-'));
  const held = new Set<string>();
  let labpool: RunningLabpool | undefined;
  let watch: Watch | undefined;
  try {
    labpool = await startLab(settings, dir, held);
    await prepareDevices(labpool, settings, held);
    const url = labpool.url;
    const failures: string[] = [];
    const secondStage = (device: string) => {
      void (async () => {
        for (const event of SECOND_STAGE) {
          const posted = await http(`${url}/api/device/${device}/event/${event}/`, 'POST');
          if (posted.status !== 200) throw new Error(`${device} ${event}: ${posted.status} ${posted.text}`);
        }
      })().catch((error: unknown) => failures.push(String(error)));
    };
    watch = watchLog(labpool, secondStage);
    // Warm up (JIT, caches), then measure a closed loop for a fixed time.
    await runClients(url, watch, settings, performance.now() + settings.warmupS * 1000, [], failures);
    await labpool.projections.waitFor(labpool.projections.position());
    const samples: Sample[] = [];
    const before = lastPosition(labpool);
    const startedMs = performance.now();
    const cpuBefore = process.cpuUsage();
    const trace = process.env.LEASE_TRACE === '1' ? setInterval(() => console.error(`[lease] t=${((performance.now() - startedMs) / 1000).toFixed(0)}s lifecycles=${samples.length} events=${lastPosition(labpool!) - before}`), 1000) : undefined;
    await runClients(url, watch, settings, startedMs + settings.measureS * 1000, samples, failures);
    const seconds = (performance.now() - startedMs) / 1000;
    clearInterval(trace);
    const cpu = process.cpuUsage(cpuBefore);
    // Every lifecycle ended with its device detached; the verify on re-entering ready follows at once.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events = lastPosition(labpool) - before;
    if (process.env.LEASE_TRACE === '1') {
      const slowest = samples.reduce((a, b) => (b.readyMs - b.startedMs > a.readyMs - a.startedMs ? b : a));
      const models = labpool.lab.context.readModels;
      console.error(`[lease] slowest ${slowest.readyMs - slowest.startedMs} ms: request ${slowest.id} on ${slowest.device}`);
      for (const line of models.requests.log(slowest.id)) console.error(`  R ${line.timestamp} ${line.message}`);
      for (const line of models.devices.log(slowest.device).slice(-40)) console.error(`  D ${line.timestamp} ${line.message}`);
    }
    if (failures.length > 0) console.error(`[lease] ${failures.length} failures, first: ${failures[0]}`);
    await watch.subscription.close();
    watch = undefined;
    await labpool.stop();
    labpool = undefined;
    const reference = await appendReference(dir, quick);

    const rate = samples.length / seconds;
    const toReady = samples.map((sample) => sample.readyMs - sample.startedMs);
    const perLifecycle = events / samples.length;
    const eventRate = events / seconds;
    const lifecycleLimit = reference.concurrent / perLifecycle;
    const clients = `${settings.clients} clients, ${settings.devices} devices, sqlite FULL`;
    const rows: BenchRow[] = [
      {
        section: 'lease',
        metric: `lifecycles/s (${clients})`,
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
      // The process's CPU (server, clients and second stage: all in this process) per lifecycle: what bounds the rate.
      { section: 'lease', metric: 'process CPU per lifecycle (server + clients)', value: (cpu.user + cpu.system) / 1000 / samples.length, unit: 'ms' },
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
    await watch?.subscription.close();
    await labpool?.stop();
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
};

// `tsx bench/lease-lifecycle.ts [--quick]` runs this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await leaseLifecycle({ quick: process.argv.includes('--quick') });
  console.table(rows.map((row) => ({ metric: row.metric, value: Math.round(row.value * 100) / 100, unit: row.unit, reference: row.reference ? `${row.reference.label}: ${Math.round(row.reference.value)}` : '', ratio: row.ratio?.toFixed(2) ?? '', target: row.target ?? '', met: row.met ?? '' })));
}
