import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForAllReady, type RaceServer } from './any-race.js';
import { findFreeTcpPort, findFreeUdpPort } from './free-port.js';
import { createTestInventory, inventoryFileText } from './lab-harness.js';
import { killHard, startServerProcess, type ServedProcess } from './labpool-processes.js';
import type { StoreSetting } from './lab-servers.js';
import { waitFor } from './wait-for.js';

/** Several `npm start` processes on one store, dividing `devices` between them, ready for a race. */
export type RaceLab = {
  readonly dir: string;
  readonly store: StoreSetting;
  readonly processes: readonly ServedProcess[];
  readonly servers: readonly RaceServer[];
  stop(): Promise<void>;
};

export type RaceLabOptions = {
  readonly servers: number;
  readonly devices: number;
  /** The shared store; default a SQLite file in the lab's folder. */
  readonly store?: (dir: string) => StoreSetting;
  /** How many devices each server owns for every one the first owns (default all 1). */
  readonly shares?: readonly number[];
  /** The lab's peer token: with it the servers hand out each other's devices. */
  readonly peerToken?: string;
};

/** Forces `device` into `ready` from whatever state its self-test (against a PDU that never answers) left it in. */
async function forceReadyOver(server: RaceServer, device: string): Promise<void> {
  await waitFor(async () => {
    const { state } = (await (await fetch(`${server.url}/api/device/${device}/state/`)).json()) as { state: string };
    if (state === 'ready') return true;
    await fetch(`${server.url}/api/device/${device}/state-change/${state}/to/ready/`, { method: 'POST' });
    return false;
  }, 60_000);
}

/**
 * The processes start at once (each applies the file's shared catalogue and its own devices while
 * the others do); every device's PDU never answers, since the race is about assignment, and every
 * device is forced `ready`.
 */
export async function startRaceLab(options: RaceLabOptions): Promise<RaceLab> {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-race-'));
  const store = options.store?.(dir) ?? { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' };
  const processes: ServedProcess[] = [];
  /** Where every device "answers" verify: a device entering `ready` checks it, and a failure starts a self-test. */
  const verifyListener: Server = createServer((socket) => socket.destroy());
  const stop = async () => {
    for (const served of processes) await killHard(served);
    await new Promise((resolve) => verifyListener.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve) => verifyListener.listen(0, '127.0.0.1', resolve));
    const verify = { tcpPort: (verifyListener.address() as { port: number }).port };
    const ports = await Promise.all(Array.from({ length: options.servers }, () => findFreeTcpPort()));
    const ids = ports.map((port) => `127.0.0.1:${port}`);
    const silentPdu = await findFreeUdpPort();
    const base = createTestInventory(options.devices);
    const images = base.images.map((image) => ({ ...image, verify }));
    const owners = ids.flatMap((id, i) => Array.from({ length: options.shares?.[i] ?? 1 }, () => id));
    const devices = base.devices.map((device, i) => ({ ...device, fqdn: '127.0.0.1', imagingServer: owners[i % owners.length]!, relayInfo: `127.0.0.1:${silentPdu}/${i + 1}` }));
    const inventoryFile = join(dir, 'inventory.json');
    writeFileSync(inventoryFile, inventoryFileText({ ...base, images, devices }));
    const configs = await Promise.all(
      ids.map(async (serverId, i) => {
        const configFile = join(dir, `labpool-${i}.json`);
        const tftp = { host: '127.0.0.1', port: await findFreeUdpPort(), root: join(dir, `tftp-${i}`) };
        const config = {
          serverId,
          http: { host: '127.0.0.1', port: ports[i] },
          store,
          inventory: { file: inventoryFile },
          hardware: { tftp, power: { timeoutMs: 200, retries: 1 }, verify: { timeoutMs: 2000, defaultTcpPort: verify.tcpPort } },
          ...(options.peerToken === undefined ? {} : { servers: { peerToken: options.peerToken } }),
        };
        writeFileSync(configFile, JSON.stringify(config));
        return configFile;
      }),
    );
    // Each kept as soon as it serves, so that `stop` stops it even when another fails to start.
    await Promise.all(configs.map(async (configFile, i) => (processes[i] = await startServerProcess(configFile))));
    const servers = ids.map((id, i) => ({ id, url: processes[i]!.url, devices: devices.filter((device) => device.imagingServer === id).map((device) => device.name) }));
    await Promise.all(servers.flatMap((server) => server.devices.map((device) => forceReadyOver(server, device))));
    for (const server of servers) await waitForAllReady(server, options.devices, 60_000);
    return { dir, store, processes, servers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
