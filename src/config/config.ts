import { readFileSync } from 'node:fs';
import type { RequestLimits } from '../dialects/mozpool/domain/request-limits.js';
import type { Role } from '../domain/identity/roles.js';
import type { SimDeviceFaults } from '../sim/sim-device.js';
import { checkConfig } from './config-schema.js';
import { DEFAULTS, DEFAULT_SQLITE_STORE, ENV_VARIABLES, type EnvVariable } from './config-defaults.js';
import type { OriginLookup } from './config-schema.js';

/** Where events are stored. SQLite is the single-machine default; EventStoreDB serves several servers. */
export type StoreConfig =
  | {
      readonly kind: 'sqlite';
      /** Database file; `:memory:` for a throwaway store. */
      readonly path: string;
      /** SQLite's `synchronous` pragma: FULL survives power loss, NORMAL is faster and survives crashes. */
      readonly synchronous: 'FULL' | 'NORMAL';
    }
  | {
      readonly kind: 'eventstoredb';
      /** Connection string, e.g. `esdb://eventstore:2113?tls=false`. */
      readonly url: string;
    };

/** One user written in the configuration itself (`auth.users`). */
export type UserConfig = {
  readonly name: string;
  /** bcrypt (`$2a$`/`$2b$`/`$2y$`) or scrypt (`$scrypt$N=…,r=…,p=…$<salt>$<key>`). */
  readonly hash: string;
  /** Default `user`. */
  readonly roles?: readonly Role[];
};

/** Who may use the API: users from the configuration and a users file; API tokens. */
export type AuthConfig = {
  readonly users?: readonly UserConfig[];
  /** A JSON users file (README, "Users and tokens"), read at start; null: none. */
  readonly usersFile: string | null;
  /** A token's "last used" is recorded at most this often. */
  readonly tokenUseIntervalMs: number;
};

/** Who may pass the doors that are open by default (README "Security"). */
export type SecurityConfig = {
  /** MozPool's write routes need an `X-Auth-Token` of role admin or operator (MozPool itself had no auth). */
  readonly mozpoolWritesNeedToken: boolean;
  /** CIDR blocks the device-side LifeGuard routes (`event`, `bootconfig`…) answer; null: any address. */
  readonly deviceSources: readonly string[] | null;
};

/** labpool's validated configuration. Sources, later wins: defaults, JSON file, environment. */
export interface LabpoolConfig {
  /** This server's public `host:port`: owner of its devices and requests, target of redirects. */
  readonly serverId: string;
  /** Where the HTTP API listens (port 0 picks a free port), and how long it waits for slow clients. */
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Time for a request's headers (default 10 s). */
    readonly headersTimeoutMs?: number;
    /** Time for a whole request, body included (default 30 s); never less than `headersTimeoutMs`. */
    readonly requestTimeoutMs?: number;
    /** Event tails (`GET /api/events/`) open at once from one client address (default 32). */
    readonly maxTailsPerClient?: number;
    /** Browser origins (`https://dash.example.org`) answered with `Access-Control-Allow-Origin`; absent: no CORS. */
    readonly cors?: { readonly origins: readonly string[] };
  };
  readonly store: StoreConfig;
  readonly actors: {
    /** An actor writes a snapshot after this many events since its last one. */
    readonly snapshotEvery: number;
    /** An actor idle this long is stopped; its next message reloads it. */
    readonly idleShutdownMs: number;
    /** How long a caller waits for an actor's reply. */
    readonly queryTimeoutMs: number;
  };
  /** The inventory file loaded at start (devices, images, PXE configs, hardware types); null: none. */
  readonly inventory: {
    readonly file: string | null;
    /** Apply a sync that would retire more than max(5, 10%) of the devices (env LABPOOL_INVENTORY_FORCE_SYNC). */
    readonly forceSync: boolean;
  };
  /** How this server reaches hardware: TFTP root and server, PXE address, SNMP power, verify. */
  readonly hardware: {
    readonly tftp: { readonly host: string; readonly port: number; readonly root: string };
    /** What `%IPADDRESS%` becomes in PXE configs: the address devices reach this server at. */
    readonly pxe: { readonly serverAddress: string };
    readonly power: {
      readonly defaultCommunity: string;
      readonly defaultModel: string;
      /** Per SNMP exchange. */
      readonly timeoutMs: number;
      readonly retries: number;
      /** Between two exchanges on one PDU. */
      readonly pauseBetweenMs: number;
      /** Between off and on in a power cycle. */
      readonly offOnDelayMs: number;
      /** Extra PDU models described entirely in config (see README). */
      readonly models?: Readonly<Record<string, unknown>>;
    };
    readonly verify: { readonly timeoutMs: number; readonly defaultTcpPort: number };
  };
  /** The simulated lab `npm start` runs when no inventory file is given. */
  readonly sim: {
    readonly enabled: boolean;
    /** The simulated lab runs in its own process (`labpool sim`): this server loads its inventory and serves it. */
    readonly external: boolean;
    readonly devices: number;
    readonly stepDelayMs: number;
    /** UDP ports of the simulated PDUs: an APC, then a ServerTech. */
    readonly pduPorts: readonly number[];
    /** Loopback addresses of the devices, `127.a.b.` + 1, 2…; default `127.0.1.`. */
    readonly addressPrefix?: string;
    /** Device names `<namePrefix>-0001`…; default `sim`. */
    readonly namePrefix?: string;
    /** Faulty simulated devices by name. */
    readonly faults?: Readonly<Record<string, SimDeviceFaults>>;
  };
  /** Per-state overrides of LifeGuard's timeouts and retry limits (MozPool's values otherwise). */
  readonly lifeguardLimits?: Readonly<Record<string, { readonly timeoutMs?: number | null; readonly maxCount?: number | null }>>;
  /** Overrides of the MozPool request machine's limits. */
  readonly mozpoolLimits?: Partial<RequestLimits>;
  /** Users and tokens; absent: no users. */
  readonly auth?: AuthConfig;
  /** Locks on MozPool's writes and LifeGuard's device-side routes; absent: open, as MozPool was. */
  readonly security?: SecurityConfig;
  /** vmpooler's pools and settings (docs/configuration.md); absent: no pools, except in the simulated lab. */
  readonly vmpooler?: VmpoolerConfigFile;
  /** Drydock's designs and deploy settings (docs/configuration.md); absent: the defaults. */
  readonly drydock?: DrydockConfigFile;
  /** Commissaire's credentials key and investigation settings (docs/configuration.md); absent: the defaults. */
  readonly commissaire?: CommissaireConfigFile;
  /** The LBaaS Device API on its own HTTPS port (docs/configuration.md); absent: off, except in the simulated lab. */
  readonly lbaas?: LbaasConfigFile;
  /** Several servers on one store (docs/configuration.md); absent: each server asks only its own devices. */
  readonly servers?: ServersConfigFile;
}

/** How the servers sharing one store talk to each other and show they are alive. */
export interface ServersConfigFile {
  /**
   * The secret every server of the lab shares (16 characters or more): a server asks another's device
   * or request actors over HTTP with it. Absent: no server calls another, and none answers such calls.
   */
  readonly peerToken?: string;
  /** How long a call to another server may take (default 5000). */
  readonly peerTimeoutMs?: number;
  /** How often this server records that it is alive (default 30000). */
  readonly heartbeatMs?: number;
}

/** LBaaS's section: its HTTPS listener, certificate and access. */
export interface LbaasConfigFile {
  /** Default true: a section turns the API on; `false` turns it off even in the simulated lab. */
  readonly enabled?: boolean;
  /** Default: `http.host`. */
  readonly host?: string;
  /** Default 8889; 0 picks a free port. */
  readonly port?: number;
  /** PEM certificate (chain) and its key; both or neither. Neither: the simulated lab's own, generated beside the store. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Every call needs an `X-Auth-Token` of role admin or operator (default false). */
  readonly requireToken?: boolean;
}

/** Commissaire's section. */
export interface CommissaireConfigFile {
  /** The key that seals host credentials: base64 of 32 bytes. Env LABPOOL_COMMISSAIRE_CREDS_KEY wins over it. */
  readonly credsKey?: string;
  /** A file holding that key; created (mode 0600) with a random key when absent. Default: beside the SQLite store. */
  readonly credsKeyFile?: string;
  /** Investigation reuses a hardware report younger than this; else it runs a self-test (default 600000). */
  readonly factsMaxAgeMs?: number;
}

/** Drydock's section. */
export interface DrydockConfigFile {
  /** Where `file://<name>` design references are read from (default: `designs/` beside the store file). */
  readonly designFolder?: string;
  /** Seconds a deploy waits for a node's signalling bootactions (default 900, as Drydock). */
  readonly bootactionTimeoutS?: number;
  /** The image `destroy_nodes` writes before it releases a node (default `erase`). */
  readonly eraseImage?: string;
  /** The URL nodes reach labpool at, for bootaction report URLs (default: from the server id). */
  readonly publicUrl?: string;
}

/** One vmpooler pool as the config file writes it. */
export interface VmpoolerPoolFile {
  readonly name: string;
  readonly alias?: readonly string[];
  /** The labpool image its devices get. */
  readonly image: string;
  readonly bootConfig?: Readonly<Record<string, unknown>>;
  readonly hardwareType?: string;
  readonly environment?: string;
  readonly size: number;
  /** Minutes a device stays ready before it is imaged afresh (default 60). */
  readonly readyTtl?: number;
  readonly domain?: string;
  /** Devices imaged at once (default 4). */
  readonly reimageConcurrency?: number;
}

/** vmpooler's section: its pools, then its service-wide settings (NOTES.md defaults). */
export interface VmpoolerConfigFile {
  readonly pools?: readonly VmpoolerPoolFile[];
  /** Hours (default 24). */
  readonly vmLifetime?: number;
  readonly vmLifetimeAuth?: number;
  readonly maxLifetimeUpperLimit?: number;
  readonly allowedTags?: readonly string[];
  readonly tagFilter?: Readonly<Record<string, string>>;
  readonly experimentalFeatures?: boolean;
  readonly maxOndemandInstancesPerRequest?: number;
  /** Minutes an on-demand request may take (default 5). */
  readonly ondemandRequestTtl?: number;
  /** The v1 API's top-level `domain`. */
  readonly domain?: string;
}

/** Invalid configuration. The message lists every bad field with where its value came from. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid labpool configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** One setting's value and where it came from: `default`, `file <path>` or `env <NAME>`. */
interface Setting {
  readonly value: unknown;
  readonly origin: string;
}

/** Settings keyed by dotted path (`http.port`): objects flattened to their leaves, so layers merge key by key. */
type Settings = ReadonlyMap<string, Setting>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(value: Record<string, unknown>, origin: string, prefix = ''): Map<string, Setting> {
  const settings = new Map<string, Setting>();
  for (const [key, child] of Object.entries(value)) {
    // A dotted key would pass for a nested one once flattened.
    if (key.includes('.')) throw new ConfigError([`"${prefix}${key}" is not a known setting (from ${origin})`]);
    const path = `${prefix}${key}`;
    if (isPlainObject(child)) for (const entry of flatten(child, origin, `${path}.`)) settings.set(...entry);
    else settings.set(path, { value: child, origin });
  }
  return settings;
}

function readFileSettings(file: string): Settings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`config file ${file} cannot be read: ${(error as Error).message}`]);
  }
  if (!isPlainObject(parsed)) throw new ConfigError([`config file ${file} must hold a JSON object`]);
  return flatten(parsed, `file ${file}`);
}

/** Docker and CI often set variables to empty strings to mean "unset". */
function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A non-integer stays a string, so validation reports it against its variable instead of a NaN slipping through. */
function parseInteger(raw: string): number | string {
  return /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : raw;
}

const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['0', 'false', 'no', 'off']);

/** Anything else stays a string, so validation reports it against its variable. */
function parseBoolean(raw: string): boolean | string {
  const word = raw.trim().toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : raw;
}

function parseEnvValue(variable: EnvVariable, raw: string): unknown {
  if (variable.isInteger) return parseInteger(raw);
  return variable.isBoolean ? parseBoolean(raw) : raw;
}

function readEnvStoreKind(env: NodeJS.ProcessEnv): Setting | undefined {
  const kind = readEnv(env, 'LABPOOL_STORE');
  if (kind !== undefined) return { value: kind, origin: 'env LABPOOL_STORE' };
  if (readEnv(env, 'EVENTSTORE_URL') !== undefined) return { value: 'eventstoredb', origin: 'env EVENTSTORE_URL' };
  return undefined;
}

function readEnvSettings(env: NodeJS.ProcessEnv, storeKindSoFar: unknown): Settings {
  const settings = new Map<string, Setting>();
  const storeKind = readEnvStoreKind(env);
  if (storeKind !== undefined) settings.set('store.kind', storeKind);
  const selectedStore = storeKind?.value ?? storeKindSoFar;
  for (const variable of ENV_VARIABLES) {
    const raw = readEnv(env, variable.name);
    if (raw === undefined || (variable.onlyForStore !== undefined && variable.onlyForStore !== selectedStore)) continue;
    settings.set(variable.path, { value: parseEnvValue(variable, raw), origin: `env ${variable.name}` });
  }
  return settings;
}

function isWithin(path: string, ancestor: string): boolean {
  return ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);
}

/** Overlays `layer` on `base`. Switching store kind drops the old kind's settings: they belong to another store. */
function overlay(base: Settings, layer: Settings): Settings {
  const merged = new Map(base);
  const storeKind = layer.get('store.kind');
  if (storeKind !== undefined && storeKind.value !== base.get('store.kind')?.value) {
    for (const path of base.keys()) if (isWithin(path, 'store')) merged.delete(path);
    if (storeKind.value === 'sqlite') for (const entry of flatten({ store: DEFAULT_SQLITE_STORE }, 'default')) merged.set(...entry);
  }
  for (const [path, setting] of layer) {
    for (const existing of merged.keys()) if (isWithin(existing, path) || isWithin(path, existing)) merged.delete(existing);
    merged.set(path, setting);
  }
  return merged;
}

/** Plain assignment of a file's `__proto__` key would reach Object.prototype; an own property is just rejected. */
function setOwn(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

function toNestedObject(settings: Settings): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, { value }] of settings) {
    const keys = path.split('.');
    const leaf = keys.pop() ?? path;
    let node = root;
    for (const key of keys) {
      if (!Object.hasOwn(node, key)) setOwn(node, key, {});
      node = node[key] as Record<string, unknown>;
    }
    setOwn(node, leaf, value);
  }
  return root;
}

function createOriginLookup(settings: Settings): OriginLookup {
  return (path) => {
    // A list is one setting: an item's field (`auth.users.0.hash`) came from wherever the list did.
    const origins = [...settings].filter(([key]) => isWithin(key, path) || isWithin(path, key)).map(([, setting]) => setting.origin);
    return origins.length === 0 ? 'default' : [...new Set(origins)].join(', ');
  };
}

function formatServerId(http: LabpoolConfig['http']): string {
  const host = http.host.includes(':') ? `[${http.host}]` : http.host;
  return `${host}:${http.port}`;
}

/**
 * Loads labpool's configuration: defaults, then the JSON file at `options.file` or env
 * `LABPOOL_CONFIG`, then environment variables. Throws {@link ConfigError} when invalid.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): LabpoolConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? readEnv(env, 'LABPOOL_CONFIG');
  let settings: Settings = flatten(DEFAULTS, 'default');
  if (file !== undefined) settings = overlay(settings, readFileSettings(file));
  settings = overlay(settings, readEnvSettings(env, settings.get('store.kind')?.value));
  const checked = checkConfig(toNestedObject(settings), createOriginLookup(settings));
  if (!checked.ok) throw new ConfigError(checked.problems);
  return { ...checked.config, serverId: checked.config.serverId ?? formatServerId(checked.config.http) };
}
