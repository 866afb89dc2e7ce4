/**
 * The parent side of bench/lease-clients.ts: one forked process of closed-loop lease clients (and
 * second stages), fed over IPC with what the servers' logs showed. Used by the lease and the
 * several-servers sections.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { RunningLabpool } from '../src/labpool.js';
import type { RecordedEvent, Subscription } from '../src/store/port.js';
import type { ClientsMessage, ClientsReply, LeaseRun, LeaseRunResult, Seen } from './lease-clients.js';

/** What the clients need to see, queued as it comes and sent as one batch per turn of the event loop. */
export function seenBatches(send: (seen: Seen) => void): (kind: keyof Seen, key: string) => void {
  let pending: { pxe: string[]; ready: number[]; freed: string[] } | undefined;
  const flush = () => {
    const seen = pending;
    pending = undefined;
    if (seen !== undefined) send(seen);
  };
  return (kind, key) => {
    if (pending === undefined) {
      pending = { pxe: [], ready: [], freed: [] };
      setImmediate(flush);
    }
    if (kind === 'ready') pending.ready.push(Number(key));
    else pending[kind].push(key);
  };
}

/**
 * The second stage's and the clients' eyes: one live subscription on the log, as `labpool tail` has.
 * Only what this server wrote (its devices, the requests it took): on a store several servers share,
 * each server's watch reports its own, so nothing is reported twice.
 */
export function watchLog(labpool: RunningLabpool, forward: (kind: keyof Seen, key: string) => void): Subscription {
  const onEvent = (event: RecordedEvent) => {
    if (event.metadata.server !== labpool.serverId) return;
    const data = event.data as { to?: string };
    if (event.type === 'DeviceStateEntered' && data.to === 'pxe_booting') forward('pxe', event.stream.slice('device-'.length));
    else if (event.type === 'RequestStateEntered' && data.to === 'ready') forward('ready', event.stream.slice('request-'.length));
    else if (event.type === 'DeviceHolderDetached') forward('freed', event.stream.slice('device-'.length));
  };
  return labpool.store.subscribeToAll(labpool.projections.position(), { onEvent }, { eventTypes: ['DeviceStateEntered', 'RequestStateEntered', 'DeviceHolderDetached'] });
}

/** The forked load process (bench/lease-clients.ts): lease clients and second stages. */
export interface LeaseClients {
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

export function startLeaseClients(): LeaseClients {
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

  return {
    booted,
    forward: seenBatches((seen) => {
      if (child.connected) child.send({ seen } satisfies ClientsMessage);
    }),
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
