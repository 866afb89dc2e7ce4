import type { LabpoolConfig, VmpoolerConfigFile, VmpoolerPoolFile } from '../../config/config.js';
import { DEFAULT_READY_TTL_MIN, DEFAULT_REIMAGE_CONCURRENCY, DEFAULT_VMPOOLER_SETTINGS, type PoolConfig } from './domain/pool-config.js';
import type { VmpoolerConfig } from './actors/vmpooler-context.js';

/**
 * The simulated lab's pools (`npm start` without an inventory and without a vmpooler section): two
 * pools with aliases over 5 of its 24 devices, the rest left free for MozPool's leases. A smaller
 * simulated lab (fewer than {@link SIM_POOLS_MIN_DEVICES} devices, as tests start) has none.
 */
/** Simulated devices are named by their loopback address: their pools give them a domain of their own. */
const SIM_DOMAIN = 'sim.labpool.test';

export const SIM_POOLS: readonly VmpoolerPoolFile[] = [
  { name: 'ubuntu-2204-x86_64', alias: ['ubuntu', 'ubuntu-22'], image: 'ubuntu', size: 3, readyTtl: 60, domain: SIM_DOMAIN, reimageConcurrency: 2 },
  { name: 'android-14-arm64', alias: ['android'], image: 'android', size: 2, readyTtl: 60, domain: SIM_DOMAIN, reimageConcurrency: 2 },
];

export const SIM_POOLS_MIN_DEVICES = 16;

function toPoolConfig(pool: VmpoolerPoolFile): PoolConfig {
  return {
    name: pool.name,
    alias: pool.alias ?? [],
    image: pool.image,
    bootConfig: JSON.stringify(pool.bootConfig ?? {}),
    hardwareType: pool.hardwareType ?? null,
    environment: pool.environment ?? null,
    size: pool.size,
    readyTtlMin: pool.readyTtl ?? DEFAULT_READY_TTL_MIN,
    domain: pool.domain ?? null,
    reimageConcurrency: pool.reimageConcurrency ?? DEFAULT_REIMAGE_CONCURRENCY,
  };
}

/** vmpooler's configuration from labpool's: the file's section, or the simulated lab's demo pools. */
export function vmpoolerConfigOf(config: LabpoolConfig, simulatedLab: boolean): VmpoolerConfig {
  const simPools = simulatedLab && config.sim.devices >= SIM_POOLS_MIN_DEVICES;
  const section: VmpoolerConfigFile = config.vmpooler ?? (simPools ? { pools: SIM_POOLS, experimentalFeatures: true } : {});
  const defaults = DEFAULT_VMPOOLER_SETTINGS;
  return {
    pools: (section.pools ?? []).map(toPoolConfig),
    settings: {
      vmLifetimeH: section.vmLifetime ?? defaults.vmLifetimeH,
      vmLifetimeAuthH: section.vmLifetimeAuth ?? section.vmLifetime ?? defaults.vmLifetimeAuthH,
      maxLifetimeUpperLimitH: section.maxLifetimeUpperLimit ?? defaults.maxLifetimeUpperLimitH,
      allowedTags: section.allowedTags ?? defaults.allowedTags,
      tagFilter: section.tagFilter ?? defaults.tagFilter,
      experimentalFeatures: section.experimentalFeatures ?? defaults.experimentalFeatures,
      maxOndemandInstancesPerRequest: section.maxOndemandInstancesPerRequest ?? defaults.maxOndemandInstancesPerRequest,
      ondemandTimeoutMin: section.ondemandRequestTtl ?? defaults.ondemandTimeoutMin,
      domain: section.domain ?? defaults.domain,
    },
  };
}
