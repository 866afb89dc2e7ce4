/**
 * Several servers: MozPool lease lifecycles/s (`POST /api/device/any/request/` → imaged → `ready` →
 * return → next) with 1, 2 and 3 labpool processes on ONE store — a SQLite file with synchronous
 * FULL, then the EventStoreDB emulator — 60 devices split evenly between them and the clients spread
 * evenly over them; then 3 servers with every client on the first, so that most leases take another
 * server's device, imaged through its own server: how many crossed, and what crossing costs.
 * One lab a figure, each on a fresh store (bench/several-servers-lab.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreConfig } from '../src/config/config.js';
import { startEsdbEmulator } from '../test/support/esdb-emulator.js';
import { percentile, type BenchRow, type BenchSection } from './bench-row.js';
import { runServersLab, startServerProcess, type LabPlan, type LabRun, type ServerProcess } from './several-servers-lab.js';

type Settings = { readonly devices: number; readonly clients: number; readonly crossClients: number; readonly warmupMs: number; readonly measureMs: number };

/** 30 clients on 60 devices leave every server free devices of its own; 45 on the first server's 20 must cross. */
const FULL_RUN: Settings = { devices: 60, clients: 30, crossClients: 45, warmupMs: 2_000, measureMs: 8_000 };
const QUICK_RUN: Settings = { devices: 60, clients: 30, crossClients: 45, warmupMs: 500, measureMs: 2_000 };
const SERVER_COUNTS = [1, 2, 3] as const;

/** A fresh store for one lab, and how to drop it. */
type StoreKind = { readonly label: string; open(): Promise<{ readonly store: StoreConfig; close(): Promise<void> }> };

const SQLITE_FULL: StoreKind = {
  label: 'one SQLite file, FULL',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'labpool-servers-'));
    return { store: { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'FULL' }, close: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const ESDB_EMULATOR: StoreKind = {
  label: 'EventStoreDB emulator',
  async open() {
    const emulator = await startEsdbEmulator();
    return { store: { kind: 'eventstoredb', url: emulator.connectionString }, close: () => emulator.stop() };
  },
};

async function measureLab(pool: readonly ServerProcess[], kind: StoreKind, plan: Omit<LabPlan, 'store'>): Promise<LabRun> {
  const opened = await kind.open();
  try {
    const run = await runServersLab(pool, { ...plan, store: opened.store });
    traceBusy(kind, plan, run);
    return run;
  } finally {
    await opened.close();
  }
}

/** Every process's share: the figures behind "what limits scaling", on stderr. */
function traceBusy(kind: StoreKind, plan: Omit<LabPlan, 'store'>, run: LabRun): void {
  const windowMs = run.measured.seconds * 1000;
  const servers = run.servers.map((server, i) => `server ${i + 1} loop ${(server.loopBusy * 100).toFixed(0)} % cpu ${((server.cpuMs / windowMs) * 100).toFixed(0)} % conflicts ${server.conflicts}`);
  const setup = `up ${run.setupS.up.toFixed(1)} s, free ${run.setupS.free.toFixed(1)} s, warm ${run.setupS.warm.toFixed(1)} s, measured ${run.measured.seconds.toFixed(1)} s`;
  const others = `clients cpu ${((run.measured.cpuMs / windowMs) * 100).toFixed(0)} %, parent cpu ${((run.parentCpuMs / windowMs) * 100).toFixed(0)} %; ${setup}; load ${loadavg()[0]!.toFixed(1)}`;
  console.error(`[servers] ${kind.label}, ${plan.servers} servers, clients ${plan.clientsOn}: ${(run.measured.lifecycles / run.measured.seconds).toFixed(1)}/s; ${servers.join('; ')}; ${others}`);
}

const rateOf = (run: LabRun) => run.measured.lifecycles / run.measured.seconds;

const serversCpuMs = (run: LabRun) => run.servers.reduce((sum, server) => sum + server.cpuMs, 0);

/** All processes' CPU (servers, clients, this one) as a share of the machine's cores. */
function machineBusy(run: LabRun): number {
  const cpuMs = serversCpuMs(run) + run.measured.cpuMs + run.parentCpuMs;
  return (cpuMs / (run.measured.seconds * 1000 * cpus().length)) * 100;
}

function scalingRows(kind: StoreKind, settings: Settings, runs: readonly LabRun[]): BenchRow[] {
  const single = rateOf(runs[0]!);
  return runs.flatMap((run, i) => {
    const servers = SERVER_COUNTS[i]!;
    const label = `${servers} server${servers === 1 ? '' : 's'}, ${kind.label}`;
    const toReady = [...run.measured.toReadyMs];
    const appendMs = run.servers.flatMap((server) => server.appendMs);
    return [
      {
        section: 'servers',
        metric: `lifecycles/s, ${label} (${settings.clients} clients, ${settings.devices} devices)`,
        value: rateOf(run),
        unit: 'lifecycles/s',
        ...(servers === 1 ? {} : { reference: { label: '1 server', value: single } }),
      },
      { section: 'servers', metric: `${label}: time to ready p50`, value: percentile(toReady, 50), unit: 'ms' },
      { section: 'servers', metric: `${label}: time to ready p99`, value: percentile(toReady, 99), unit: 'ms' },
      { section: 'servers', metric: `${label}: busiest server's event loop`, value: Math.max(...run.servers.map((server) => server.loopBusy)) * 100, unit: '%' },
      { section: 'servers', metric: `${label}: CPU of all processes, share of ${cpus().length} cores`, value: machineBusy(run), unit: '%' },
      { section: 'servers', metric: `${label}: append p50, commit wait included`, value: percentile(appendMs, 50), unit: 'ms' },
      { section: 'servers', metric: `${label}: append p99, commit wait included`, value: percentile(appendMs, 99), unit: 'ms' },
      // Every server projects every event of the shared log: this grows with the servers.
      { section: 'servers', metric: `${label}: server processes' CPU per lifecycle`, value: serversCpuMs(run) / run.measured.lifecycles, unit: 'ms' },
    ];
  });
}

/** A lease crossed when its device's imaging server is not the server that took the request. */
function crossingRows(kind: StoreKind, settings: Settings, run: LabRun): BenchRow[] {
  const local: number[] = [];
  const crossed: number[] = [];
  run.measured.leases.forEach((lease, i) => {
    const taker = run.serverOfUrl.get(lease.url);
    (run.imagingServer.get(lease.device) === taker ? local : crossed).push(run.measured.toReadyMs[i]!);
  });
  const [localP50, crossedP50] = [percentile(local, 50), percentile(crossed, 50)];
  const label = `3 servers, ${kind.label}, all ${settings.crossClients} clients on the first`;
  return [
    { section: 'servers', metric: `lifecycles/s, ${label}`, value: rateOf(run), unit: 'lifecycles/s' },
    { section: 'servers', metric: `${label}: leases that crossed servers`, value: (crossed.length / run.measured.leases.length) * 100, unit: '%' },
    // A server's view of the others' devices lags their writes: it may offer one just taken.
    { section: 'servers', metric: `${label}: \`any\` requests refused (409) in the window`, value: run.measured.failures, unit: 'requests' },
    { section: 'servers', metric: `${label}: time to ready p50, local leases`, value: localP50, unit: 'ms' },
    { section: 'servers', metric: `${label}: time to ready p50, crossed leases`, value: crossedP50, unit: 'ms' },
    { section: 'servers', metric: `${label}: crossing's share of a crossed lease's time to ready`, value: ((crossedP50 - localP50) / crossedP50) * 100, unit: '%' },
    { section: 'servers', metric: `${label}: busiest server's event loop`, value: Math.max(...run.servers.map((server) => server.loopBusy)) * 100, unit: '%' },
  ];
}

export const severalServers: BenchSection = async ({ quick }) => {
  const settings = quick ? QUICK_RUN : FULL_RUN;
  const plan = { devices: settings.devices, clients: settings.clients, clientsOn: 'spread', warmupMs: settings.warmupMs, measureMs: settings.measureMs } as const;
  const rows: BenchRow[] = [];
  // Booted once: each lab then starts its servers on its own fresh store without booting node again.
  const booting = SERVER_COUNTS.map((n) => startServerProcess(`server ${n}`));
  try {
    const pool = await Promise.all(booting);
    for (const kind of [SQLITE_FULL, ESDB_EMULATOR]) {
      const runs: LabRun[] = [];
      for (const servers of SERVER_COUNTS) runs.push(await measureLab(pool, kind, { ...plan, servers }));
      rows.push(...scalingRows(kind, settings, runs));
    }
    const cross = await measureLab(pool, SQLITE_FULL, { ...plan, servers: 3, clients: settings.crossClients, clientsOn: 'first' });
    rows.push(...crossingRows(SQLITE_FULL, settings, cross));
    return rows;
  } finally {
    const started = await Promise.allSettled(booting);
    await Promise.all(started.flatMap((server) => (server.status === 'fulfilled' ? [server.value.close()] : [])));
  }
};
