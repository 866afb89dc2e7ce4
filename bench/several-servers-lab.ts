/**
 * One measured lab of the several-servers bench: `servers` labpool processes on one store
 * (bench/several-servers-child.ts), each imaging its share of the devices, and closed-loop MozPool
 * lease clients in a load process of their own (bench/lease-clients.ts) sending their requests to
 * every server in turn, or all to the first. The servers report over IPC (relayed here) when a
 * request they took is `ready` and when a device they image is detached, so nobody polls.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { StoreConfig } from '../src/config/config.js';
import { waitFor } from '../test/support/wait-for.js';
import type { LeaseRunResult, Seen } from './lease-clients.js';
import { startLeaseClients } from './lease-clients-process.js';
import type { FromServerChild, ProcessBusy, ServerChildSettings, ToServerChild } from './several-servers-child.js';

export type LabPlan = {
  readonly servers: number;
  readonly devices: number;
  readonly clients: number;
  /** `spread`: client n uses server n mod servers; `first`: every client uses the first server. */
  readonly clientsOn: 'spread' | 'first';
  readonly store: StoreConfig;
  readonly warmupMs: number;
  readonly measureMs: number;
};

export type LabRun = {
  readonly measured: LeaseRunResult;
  /** Each server's id (`host:port`) by its URL. */
  readonly serverOfUrl: ReadonlyMap<string, string>;
  /** Each device's imaging server, as the first server's device list gives it. */
  readonly imagingServer: ReadonlyMap<string, string>;
  /** Each server process's CPU and event-loop use during the measured window. */
  readonly servers: readonly ProcessBusy[];
  /** This process's CPU during the window (the relay, and the store when it is the emulator). */
  readonly parentCpuMs: number;
  readonly failures: number;
  /** Seconds to start the servers, to see every device free on every server, and to warm up. */
  readonly setupS: { readonly up: number; readonly free: number; readonly warm: number };
};

const IMAGE = 'ubuntu';
const profileFolder = process.env.SERVERS_PROFILE;
const PEER_TOKEN = 'bench-peer-token-0123456789abcdef';

type Up = { readonly url: string; readonly serverId: string };

/** One server process (bench/several-servers-child.ts), running one lab at a time. */
export interface ServerProcess {
  /** Where the running lab's `{ seen }` batches go. */
  onSeen: (seen: Seen) => void;
  start(settings: ServerChildSettings): Promise<Up>;
  /** Starts a measured window. */
  mark(): void;
  /** CPU and event-loop use since `mark`. */
  busy(): Promise<ProcessBusy>;
  /** Stops the running lab; the process stays for the next. */
  stop(): Promise<void>;
  /** Ends the process (asks, then kills after 5 s); safe to call at any time, more than once. */
  close(): Promise<void>;
}

type Answers = { booted: true; up: Up; busy: ProcessBusy; stopped: true };
type Waiting = { [Key in keyof Answers]?: { resolve(answer: Answers[Key]): void; reject(error: Error): void } };

/** Forks a server process; resolves once it has booted. Every question has one answer, so one of each kind waits at most. */
export async function startServerProcess(name: string): Promise<ServerProcess> {
  const child: ChildProcess = fork(new URL('./several-servers-child.ts', import.meta.url), {
    // As `npm start` runs a server; SERVERS_PROFILE=<folder> (diagnosis only) writes each process's CPU profile there.
    execArgv: ['--max-semi-space-size=64', '--import', 'tsx', ...(profileFolder === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileFolder}`])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const killChild = () => child.kill();
  process.once('exit', killChild);
  const waiting: Waiting = {};
  let gone: Error | undefined;
  const failAll = (error: Error) => {
    gone ??= error;
    for (const answer of Object.values(waiting)) answer.reject(error);
    for (const key of Object.keys(waiting)) delete waiting[key as keyof Answers];
  };
  const ask = <Key extends keyof Answers>(key: Key, message?: ToServerChild) =>
    new Promise<Answers[Key]>((resolve, reject) => {
      if (gone !== undefined) return reject(gone);
      (waiting as Record<string, unknown>)[key] = { resolve, reject };
      if (message !== undefined) child.send(message);
    });
  const booted = ask('booted');
  const server: ServerProcess = {
    onSeen: () => undefined,
    start: (settings) => ask('up', { start: settings }),
    mark: () => child.send({ mark: true } satisfies ToServerChild),
    busy: () => ask('busy', { report: true }),
    stop: async () => void (await ask('stopped', { stop: true })),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exit = once(child, 'exit');
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
  child.on('message', (message: FromServerChild) => {
    if ('seen' in message) return server.onSeen(message.seen);
    if ('error' in message) return failAll(new Error(`${name}: ${message.error}`));
    const [key, answer] = Object.entries(message)[0]! as [keyof Answers, never];
    const waiter = waiting[key];
    delete waiting[key];
    waiter?.resolve(answer);
  });
  child.on('exit', (code, signal) => {
    process.off('exit', killChild);
    failAll(new Error(`${name} exited (${code ?? signal})`));
  });
  await booted;
  return server;
}

type ListedDevice = { readonly name: string; readonly state: string; readonly request_id: number | null; readonly imaging_server: string };

async function listDevices(url: string): Promise<readonly ListedDevice[]> {
  return ((await (await fetch(`${url}/api/device/list/?details=1`)).json()) as { devices: ListedDevice[] }).devices;
}

/** Every server lists every device, each `ready` and free: an `any` request may take any of them. */
async function waitForFreeLab(ups: readonly Up[], devices: number): Promise<void> {
  for (const { url } of ups) {
    await waitFor(async () => {
      const listed = await listDevices(url);
      return listed.length === devices && listed.every((device) => device.state === 'ready' && device.request_id === null);
    }, 60_000);
  }
}

/** Runs `plan` on the first `plan.servers` of `pool`; each lab's servers are stopped after it. */
export async function runServersLab(pool: readonly ServerProcess[], plan: LabPlan): Promise<LabRun> {
  // The load process boots (tsx) while the servers start.
  const clients = startLeaseClients();
  const servers = pool.slice(0, plan.servers);
  for (const server of servers) {
    server.onSeen = (seen) => {
      for (const id of seen.ready) clients.forward('ready', String(id));
      for (const device of seen.freed) clients.forward('freed', device);
    };
  }
  const settings = { servers: plan.servers, devices: plan.devices, store: plan.store, peerToken: PEER_TOKEN, image: IMAGE };
  const startedMs = performance.now();
  const since = (ms: number) => (performance.now() - ms) / 1000;
  const started = servers.map((server, index) => server.start({ ...settings, index }));
  try {
    const ups = await Promise.all(started);
    await clients.booted;
    const upS = since(startedMs);
    await waitForFreeLab(ups, plan.devices);
    const freeS = since(startedMs) - upS;
    const warmedMs = performance.now();
    const urls = plan.clientsOn === 'first' ? [ups[0]!.url] : ups.map((up) => up.url);
    const job = { url: urls[0]!, urls, clients: plan.clients, image: IMAGE, secondStage: [] };
    // Warm up (JIT, caches, every device's actor loaded), then measure a closed loop for a fixed time.
    const warm = await clients.run({ ...job, durationMs: plan.warmupMs });
    const setupS = { up: upS, free: freeS, warm: since(warmedMs) };
    for (const server of servers) server.mark();
    const cpuBefore = process.cpuUsage();
    const measured = await clients.run({ ...job, durationMs: plan.measureMs });
    const cpu = process.cpuUsage(cpuBefore);
    const busy = await Promise.all(servers.map((server) => server.busy()));
    const failures = warm.failures + measured.failures;
    if (failures > 0) console.error(`[servers] ${failures} failures, first: ${warm.firstFailure ?? measured.firstFailure}`);
    return {
      measured,
      serverOfUrl: new Map(ups.map((up) => [up.url, up.serverId])),
      imagingServer: new Map((await listDevices(ups[0]!.url)).map((device) => [device.name, device.imaging_server])),
      servers: busy,
      parentCpuMs: (cpu.user + cpu.system) / 1000,
      failures,
      setupS,
    };
  } finally {
    await clients.close();
    // Every server's start settles (up or failed) before its lab is stopped.
    await Promise.allSettled(started);
    await Promise.all(servers.map((server) => server.stop()));
  }
}
