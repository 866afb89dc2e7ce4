/**
 * The load side of bench/lease-lifecycle.ts, in its own process as a real load generator and real
 * devices would be: the closed-loop lease clients and the devices' second stages, over HTTP. The
 * server process only watches its log and forwards what the clients need to see (a device entered
 * `pxe_booting`, a request is `ready`, a device was detached) as tiny IPC batches.
 *
 * IPC: this process sends `{ booted: true }` once; the parent sends {@link ClientsMessage}s —
 * `{ seen }` batches at any time, `{ run }` answered by `{ done }` (or `{ error }`), `{ exit: true }`.
 * The process exits when the parent disconnects or dies, and on any error of its own.
 */
import { Agent, request } from 'node:http';

export interface LeaseRun {
  readonly url: string;
  /** Several servers: client n sends its requests to `urls[n % urls.length]` (default: `url` only). */
  readonly urls?: readonly string[];
  readonly clients: number;
  /** Clients start no new lifecycle after this; the run ends when every client's lifecycle has. */
  readonly durationMs: number;
  readonly image: string;
  /** The events the second stage posts, in order, once the device enters `pxe_booting`. */
  readonly secondStage: readonly string[];
}

/** What the parent saw in the log since its last batch: devices entering `pxe_booting`, requests `ready`, devices detached. */
export interface Seen {
  readonly pxe: readonly string[];
  readonly ready: readonly number[];
  readonly freed: readonly string[];
}

export type ClientsMessage = { readonly seen: Seen } | { readonly run: LeaseRun } | { readonly exit: true };

export interface LeaseRunResult {
  readonly lifecycles: number;
  readonly seconds: number;
  /** Time from sending the request to seeing it `ready`, per lifecycle. */
  readonly toReadyMs: readonly number[];
  /** Per lifecycle, as `toReadyMs`: the server the request was sent to (its URL) and the device it got. */
  readonly leases: readonly { readonly url: string; readonly device: string }[];
  /** This process's CPU (user + system) during the run. */
  readonly cpuMs: number;
  readonly slowest?: { readonly ms: number; readonly id: number; readonly device: string };
  /** Failures since the previous result (second stages included), and the first of them. */
  readonly failures: number;
  readonly firstFailure?: string;
}

export type ClientsReply = { readonly booted: true } | { readonly done: LeaseRunResult } | { readonly error: string };

/** One waiter per key; a key fired before anyone waits is kept for its waiter (IPC and HTTP answers are not ordered). */
class Waiters<K> {
  private readonly waiting = new Map<K, () => void>();
  private readonly early = new Set<K>();
  wait(key: K): Promise<void> {
    if (this.early.delete(key)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(key, resolve));
  }
  fire(key: K): void {
    const resolve = this.waiting.get(key);
    if (resolve === undefined) {
      this.early.add(key);
      return;
    }
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

const ready = new Waiters<number>();
const freed = new Waiters<string>();
let failures: string[] = [];
/** The second stage's URL prefix and events, set by the first run. */
let secondStage: { readonly url: string; readonly events: readonly string[] } | undefined;

function runSecondStage(device: string): void {
  const stage = secondStage;
  if (stage === undefined) return;
  void (async () => {
    for (const event of stage.events) {
      const posted = await http(`${stage.url}/api/device/${device}/event/${event}/`, 'POST');
      if (posted.status !== 200) throw new Error(`${device} ${event}: ${posted.status} ${posted.text}`);
    }
  })().catch((error: unknown) => failures.push(String(error)));
}

async function run(job: LeaseRun): Promise<LeaseRunResult> {
  secondStage = { url: job.url, events: job.secondStage };
  const toReadyMs: number[] = [];
  const leases: { url: string; device: string }[] = [];
  let slowest: LeaseRunResult['slowest'];
  const startedMs = performance.now();
  const stopAtMs = startedMs + job.durationMs;
  const cpuBefore = process.cpuUsage();
  async function client(n: number): Promise<void> {
    const url = job.urls === undefined ? job.url : job.urls[n % job.urls.length]!;
    while (performance.now() < stopAtMs) {
      const sentMs = performance.now();
      const created = await http(`${url}/api/device/any/request/`, 'POST', { assignee: `bench-${n}`, duration: 600, image: job.image });
      if (created.status !== 200) {
        failures.push(`request: ${created.status} ${created.text}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      const { id, assigned_device: device } = (JSON.parse(created.text) as { request: { id: number; assigned_device: string } }).request;
      const freedNow = freed.wait(device);
      await ready.wait(id);
      const ms = performance.now() - sentMs;
      const returned = await http(`${url}/api/request/${id}/return/`, 'POST');
      if (returned.status !== 204) failures.push(`return: ${returned.status} ${returned.text}`);
      await freedNow;
      toReadyMs.push(ms);
      leases.push({ url, device });
      if (slowest === undefined || ms > slowest.ms) slowest = { ms, id, device };
    }
  }
  await Promise.all(Array.from({ length: job.clients }, (_, n) => client(n)));
  const seconds = (performance.now() - startedMs) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const failed = failures;
  failures = [];
  return {
    lifecycles: toReadyMs.length,
    seconds,
    toReadyMs,
    leases,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ...(slowest === undefined ? {} : { slowest }),
    failures: failed.length,
    ...(failed.length === 0 ? {} : { firstFailure: failed[0] }),
  };
}

/** Reports the error to the parent (when it still listens) and exits. */
function fail(error: unknown): void {
  const exit = () => process.exit(1);
  setTimeout(exit, 1_000).unref();
  if (process.connected) process.send!({ error: String((error as Error).stack ?? error) } satisfies ClientsReply, exit);
  else exit();
}

if (process.send !== undefined) {
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // The parent closed the channel or died: never outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ClientsMessage) => {
    if ('seen' in message) {
      for (const device of message.seen.pxe) runSecondStage(device);
      for (const id of message.seen.ready) ready.fire(id);
      for (const device of message.seen.freed) freed.fire(device);
    } else if ('run' in message) {
      run(message.run).then((done) => process.send!({ done } satisfies ClientsReply), fail);
    } else {
      process.exit(0);
    }
  });
  process.send({ booted: true } satisfies ClientsReply);
}
