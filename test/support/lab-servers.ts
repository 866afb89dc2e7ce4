import bcrypt from 'bcryptjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreeTcpPort, findFreeUdpPort } from './free-port.js';
import { killHard, startServerProcess, type ServedProcess } from './labpool-processes.js';

/** The lab's admin (handovers need one): the simulated lab's demo user is an operator. */
export const ADMIN = { name: 'admin', password: 'lab-servers-admin' } as const;
const ADMIN_USER = { name: ADMIN.name, hash: bcrypt.hashSync(ADMIN.password, 4), roles: ['admin'] };

/** An admin token from `server` (vmpooler's token route, HTTP Basic). */
export async function adminToken(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${ADMIN.name}:${ADMIN.password}`).toString('base64')}` } });
  const body = (await response.json()) as { token?: string };
  if (body.token === undefined) throw new Error(`no token from ${url}: ${JSON.stringify(body)}`);
  return body.token;
}

/** The secret the test's servers share. */
export const PEER_TOKEN = 'test-peer-token-0123456789abcdef';

export type StoreSetting = { readonly kind: 'sqlite'; readonly path: string; readonly synchronous: 'NORMAL' } | { readonly kind: 'eventstoredb'; readonly url: string };

/** One labpool process of a several-server lab, with its own simulated lab (devices `<prefix>-0001`…). */
export type LabServer = {
  readonly id: string;
  readonly prefix: string;
  readonly devices: readonly string[];
  readonly configFile: string;
  process: ServedProcess;
  url: string;
};

export type LabServers = { readonly dir: string; readonly servers: readonly LabServer[]; stop(): Promise<void> };

export type LabServersOptions = {
  readonly count: number;
  readonly devicesEach: number;
  /** The shared store; default a SQLite file in the lab's folder. */
  readonly store?: (dir: string) => StoreSetting;
  /** Extra settings for every server's config file. */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly peerToken?: string | null;
};

const PREFIXES = ['alpha', 'bravo', 'charlie', 'delta'];

/**
 * `count` `npm start` processes on one store, each the imaging server of its own simulated lab
 * (PDUs, TFTP, devices on a loopback range of its own) and all sharing the peer token; started at
 * once, as a lab's servers come up.
 */
export async function startLabServers(options: LabServersOptions): Promise<LabServers> {
  const dir = mkdtempSync(join(tmpdir(), 'labpool-servers-'));
  const store = options.store?.(dir) ?? { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' };
  const servers: LabServer[] = [];
  const stop = async () => {
    for (const server of servers) await killHard(server.process);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const configs = [];
    for (let i = 0; i < options.count; i++) configs.push(await writeServerConfig(dir, i, store, options));
    await Promise.all(
      configs.map(async (config) => {
        const process = await startServerProcess(config.configFile);
        servers.push({ ...config, process, url: process.url });
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  servers.sort((a, b) => a.prefix.localeCompare(b.prefix));
  return { dir, servers, stop };
}

async function writeServerConfig(dir: string, i: number, store: StoreSetting, options: LabServersOptions): Promise<Omit<LabServer, 'process' | 'url'>> {
  const port = await findFreeTcpPort();
  const prefix = PREFIXES[i]!;
  const sim = {
    enabled: true,
    external: false,
    devices: options.devicesEach,
    stepDelayMs: 10,
    pduPorts: [await findFreeUdpPort(), await findFreeUdpPort()],
    addressPrefix: `127.${2 + ((process.pid + i * 7) % 200)}.${240 + i}.`,
    namePrefix: prefix,
    faults: {},
  };
  const peerToken = options.peerToken === undefined ? PEER_TOKEN : options.peerToken;
  const config = {
    serverId: `127.0.0.1:${port}`,
    http: { host: '127.0.0.1', port },
    store,
    sim,
    auth: { users: [ADMIN_USER], usersFile: null, tokenUseIntervalMs: 60_000 },
    hardware: { tftp: { host: '127.0.0.1', port: await findFreeUdpPort(), root: join(dir, `tftp-${prefix}`) } },
    // No demo pools holding devices, no second HTTPS port per process.
    vmpooler: {},
    lbaas: { enabled: false },
    // Heartbeats every half second: a killed server shows as dead within 1.5 s.
    ...(peerToken === null ? {} : { servers: { peerToken, heartbeatMs: 500 } }),
    ...options.extra,
  };
  const configFile = join(dir, `labpool-${prefix}.json`);
  writeFileSync(configFile, JSON.stringify(config));
  const devices = Array.from({ length: options.devicesEach }, (_, d) => `${prefix}-${String(d + 1).padStart(4, '0')}`);
  return { id: config.serverId, prefix, devices, configFile };
}
