import type { StoreConfig } from './config.js';

/** An environment variable and the setting (dotted path) it sets. */
export interface EnvVariable {
  readonly name: string;
  readonly path: string;
  readonly isInteger?: boolean;
  /** `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`, any case. */
  readonly isBoolean?: boolean;
  /** Read only when this store kind is selected: a shell's variables for the other store do no harm. */
  readonly onlyForStore?: StoreConfig['kind'];
}

export const ENV_VARIABLES: readonly EnvVariable[] = [
  { name: 'LABPOOL_SERVER_ID', path: 'serverId' },
  { name: 'LABPOOL_HOST', path: 'http.host' },
  { name: 'LABPOOL_PORT', path: 'http.port', isInteger: true },
  { name: 'LABPOOL_SQLITE_PATH', path: 'store.path', onlyForStore: 'sqlite' },
  { name: 'LABPOOL_SQLITE_SYNC', path: 'store.synchronous', onlyForStore: 'sqlite' },
  { name: 'EVENTSTORE_URL', path: 'store.url', onlyForStore: 'eventstoredb' },
  { name: 'LABPOOL_SNAPSHOT_EVERY', path: 'actors.snapshotEvery', isInteger: true },
  { name: 'LABPOOL_IDLE_SHUTDOWN_MS', path: 'actors.idleShutdownMs', isInteger: true },
  { name: 'LABPOOL_QUERY_TIMEOUT_MS', path: 'actors.queryTimeoutMs', isInteger: true },
  { name: 'LABPOOL_INVENTORY', path: 'inventory.file' },
  { name: 'LABPOOL_INVENTORY_FORCE_SYNC', path: 'inventory.forceSync', isBoolean: true },
  { name: 'LABPOOL_TFTP_PORT', path: 'hardware.tftp.port', isInteger: true },
  { name: 'LABPOOL_TFTP_ROOT', path: 'hardware.tftp.root' },
  { name: 'LABPOOL_SIM_DEVICES', path: 'sim.devices', isInteger: true },
  { name: 'LABPOOL_SIM_EXTERNAL', path: 'sim.external', isBoolean: true },
  { name: 'LABPOOL_SIM_NAME_PREFIX', path: 'sim.namePrefix' },
  { name: 'LABPOOL_SIM_ADDRESS_PREFIX', path: 'sim.addressPrefix' },
  { name: 'LABPOOL_USERS_FILE', path: 'auth.usersFile' },
  { name: 'LABPOOL_MOZPOOL_WRITES_NEED_TOKEN', path: 'security.mozpoolWritesNeedToken', isBoolean: true },
  { name: 'LABPOOL_LBAAS_PORT', path: 'lbaas.port', isInteger: true },
  { name: 'LABPOOL_PEER_TOKEN', path: 'servers.peerToken' },
];

export const DEFAULT_SQLITE_STORE = { kind: 'sqlite', path: 'data/labpool.db', synchronous: 'FULL' } as const;

export const DEFAULTS = {
  http: { host: '127.0.0.1', port: 8010 },
  store: DEFAULT_SQLITE_STORE,
  actors: { snapshotEvery: 100, idleShutdownMs: 300_000, queryTimeoutMs: 30_000 },
  inventory: { file: null, forceSync: false },
  hardware: {
    tftp: { host: '127.0.0.1', port: 16969, root: 'data/tftp' },
    pxe: { serverAddress: '127.0.0.1' },
    power: { defaultCommunity: 'private', defaultModel: 'apc_spdu', timeoutMs: 1000, retries: 2, pauseBetweenMs: 20, offOnDelayMs: 500 },
    verify: { timeoutMs: 2000, defaultTcpPort: 22 },
  },
  auth: { usersFile: null, tokenUseIntervalMs: 60_000 },
  security: { mozpoolWritesNeedToken: false, deviceSources: null },
  sim: {
    enabled: true,
    external: false,
    devices: 24,
    stepDelayMs: 400,
    pduPorts: [16161, 16162],
    faults: { 'sim-0003': { hangBefore: 'ubuntu_extracting' }, 'sim-0004': { failsSelfTest: true }, 'sim-0024': { deadOutlet: true } },
  },
} as const;
