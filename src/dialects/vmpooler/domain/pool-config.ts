/**
 * A vmpooler pool on bare metal: an image kept ready on a set of devices. `size` devices are held by
 * the pool, imaged or being imaged; a checkout hands one to its user, a delete brings it back to be
 * imaged again.
 */
export type PoolConfig = {
  /** The pool's name, also its template's name in vmpooler's API. */
  readonly name: string;
  /** Other names that check out from this pool. */
  readonly alias: readonly string[];
  /** The labpool image its devices get. */
  readonly image: string;
  /** JSON text handed to the image at boot ('{}' when none). */
  readonly bootConfig: string;
  /** Only devices of this hardware type (null: any). */
  readonly hardwareType: string | null;
  /** Only devices in this environment (null: any). */
  readonly environment: string | null;
  /** How many devices the pool keeps ready or being imaged. */
  readonly size: number;
  /** A device ready longer than this (minutes) is imaged afresh. */
  readonly readyTtlMin: number;
  /** The DNS domain of its hosts (null: the domain of each device's FQDN). */
  readonly domain: string | null;
  /** At most this many of its devices are imaged at once. */
  readonly reimageConcurrency: number;
};

/** vmpooler's service-wide settings (NOTES.md defaults). */
export type VmpoolerSettings = {
  /** Hours a checked-out host lives without a token. */
  readonly vmLifetimeH: number;
  /** Hours when checked out with a valid token. */
  readonly vmLifetimeAuthH: number;
  /** A lifetime set by PUT must stay below this many hours (0: no limit). */
  readonly maxLifetimeUpperLimitH: number;
  /** Only these tag names are accepted (null: any). */
  readonly allowedTags: readonly string[] | null;
  /** Tag name → regular expression whose first capture replaces the value. */
  readonly tagFilter: Readonly<Record<string, string>>;
  /** `/config/poolsize`, `/config/pooltemplate` and `/poolreset` answer (405 otherwise). */
  readonly experimentalFeatures: boolean;
  readonly maxOndemandInstancesPerRequest: number;
  /** An on-demand request not filled after this many minutes fails. */
  readonly ondemandTimeoutMin: number;
  /** The v1 API's top-level `domain` (null: none). */
  readonly domain: string | null;
};

export const DEFAULT_VMPOOLER_SETTINGS: VmpoolerSettings = {
  vmLifetimeH: 24,
  vmLifetimeAuthH: 24,
  maxLifetimeUpperLimitH: 0,
  allowedTags: null,
  tagFilter: {},
  experimentalFeatures: false,
  maxOndemandInstancesPerRequest: 10,
  ondemandTimeoutMin: 5,
  domain: null,
};

/** Pool names and aliases as vmpooler accepts them (the config schema holds the same pattern). */
export const POOL_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export const DEFAULT_READY_TTL_MIN = 60;
export const DEFAULT_REIMAGE_CONCURRENCY = 4;

/** The pool `name` answers to, by its name or one of its aliases: every pool the name stands for. */
export function poolsNamed(pools: readonly PoolConfig[], name: string): readonly PoolConfig[] {
  return pools.filter((pool) => pool.name === name || pool.alias.includes(name));
}
