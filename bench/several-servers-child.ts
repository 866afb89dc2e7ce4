/**
 * One labpool server of the several-servers bench, in a process of its own as each server of a lab
 * is; it serves one lab after another, so that a lab starts without booting node again. In a lab:
 * `startLabpool` on the shared store with hardware that answers at once, imaging server of every
 * `servers`-th device. It drives the second stage of its own devices from its log (another server's
 * devices are that server's to drive) and reports to the parent what the lease clients wait for: its
 * requests turning `ready`, its devices detached.
 *
 * IPC: sends `{ booted }` once; `{ start }` is answered by `{ up }` once its devices are `ready`, then
 * `{ seen }` batches come; `{ mark }` starts a measured window and `{ report }` is answered by
 * `{ busy }` (this process's CPU and event-loop use since the mark); `{ stop }` by `{ stopped }`.
 * Exits when the parent goes, and on any error of its own (after reporting it).
 */
import type { StoreConfig } from '../src/config/config.js';
import { startLabpool } from '../src/labpool.js';
import { observeAppends } from '../src/metrics/observed-store.js';
import { createTestInventory } from '../test/support/lab-harness.js';
import { instantHardware, instantLabConfig, prepareDevices } from './instant-lab.js';
import { secondStageOf } from './instant-second-stages.js';
import type { Seen } from './lease-clients.js';
import { seenBatches, watchLog } from './lease-clients-process.js';

export type ServerChildSettings = {
  /** This server's place among the lab's servers: it images devices `index`, `index + servers`… */
  readonly index: number;
  readonly servers: number;
  /** The whole lab's devices, every server's. */
  readonly devices: number;
  readonly store: StoreConfig;
  readonly peerToken: string;
  readonly image: string;
};

/** A measured window in one server process: CPU (user + system), the event loop's busy share, the store's appends. */
export type ProcessBusy = {
  readonly cpuMs: number;
  readonly loopBusy: number;
  /** Each stored append's time, commit (and on SQLite the other processes' write lock) included. */
  readonly appendMs: readonly number[];
  /** Appends refused for a stale revision: another writer of the same stream got there first. */
  readonly conflicts: number;
};

export type ToServerChild = { readonly start: ServerChildSettings } | { readonly mark: true } | { readonly report: true } | { readonly stop: true };

export type FromServerChild =
  | { readonly booted: true }
  | { readonly up: { readonly url: string; readonly serverId: string } }
  | { readonly seen: Seen }
  | { readonly busy: ProcessBusy }
  | { readonly stopped: true }
  | { readonly error: string };

const send = (message: FromServerChild) => process.send!(message);

/** Reports the error to the parent (when it still listens) and exits. */
function fail(error: unknown): void {
  const exit = () => process.exit(1);
  setTimeout(exit, 1_000).unref();
  if (process.connected) process.send!({ error: String((error as Error).stack ?? error) } satisfies FromServerChild, exit);
  else exit();
}

type Served = { readonly url: string; readonly serverId: string; readonly stop: () => Promise<void> };

/** One lab's server: its labpool and the log watch that drives its second stages and feeds the parent. */
async function serve(settings: ServerChildSettings): Promise<Served> {
  const held = new Set<string>();
  // Port 0: the server id takes the port it binds, and names it in every event it writes.
  const labpool = await startLabpool(instantLabConfig('127.0.0.1:0', settings.store, settings.peerToken), {
    hardware: instantHardware(held),
    wrapStore: (store) =>
      observeAppends(store, (append) => {
        if (append.outcome === 'ok') measuring.appendMs.push(append.durationS * 1000);
        else if (append.outcome === 'conflict') measuring.conflicts += 1;
      }),
  });
  const lab = createTestInventory(settings.devices, 'bench');
  const mine = lab.devices.filter((_, i) => i % settings.servers === settings.index).map((device) => ({ ...device, imagingServer: labpool.serverId }));
  await prepareDevices(labpool, { ...lab, devices: mine }, held);
  const secondStage = secondStageOf(labpool, settings.image);
  const forward = seenBatches((seen) => send({ seen }));
  let stopping = false;
  const watch = watchLog(labpool, (kind, key) => {
    // Imaging cut short by the lab's stop is expected; anything else is not.
    if (kind === 'pxe') secondStage(key).catch((error: unknown) => stopping || fail(error));
    else forward(kind, key);
  });
  return {
    url: labpool.url,
    serverId: labpool.serverId,
    stop: async () => {
      stopping = true;
      await watch.close();
      await labpool.stop();
    },
  };
}

let stopLab: (() => Promise<void>) | undefined;
const newWindow = () => ({ cpu: process.cpuUsage(), loop: performance.eventLoopUtilization(), appendMs: [] as number[], conflicts: 0 });
let measuring = newWindow();

function onMessage(message: ToServerChild): void {
  if ('start' in message) {
    serve(message.start).then(({ url, serverId, stop }) => {
      stopLab = stop;
      send({ up: { url, serverId } });
    }, fail);
  } else if ('mark' in message) {
    measuring = newWindow();
  } else if ('report' in message) {
    const cpu = process.cpuUsage(measuring.cpu);
    const loopBusy = performance.eventLoopUtilization(measuring.loop).utilization;
    send({ busy: { cpuMs: (cpu.user + cpu.system) / 1000, loopBusy, appendMs: measuring.appendMs, conflicts: measuring.conflicts } });
  } else {
    const stop = stopLab ?? (async () => undefined);
    stopLab = undefined;
    stop().then(() => send({ stopped: true }), fail);
  }
}

if (process.send !== undefined) {
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // The parent closed the channel or died: never outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('message', onMessage);
  send({ booted: true });
}
