import { readFileSync } from 'node:fs';
import { createActorSystem, type ActorSystem } from './actors/actor-system.js';
import type { LabpoolConfig } from './config/config.js';
import { createApp } from './http/app.js';
import { findFreeTcpPort } from './http/server.js';
import type { InventoryAdmin } from './http/labpool/inventory-routes.js';
import { deviceFactsRoutes } from './http/labpool/device-facts-routes.js';
import { DEFAULT_REQUEST_TIMEOUTS, listen, type ListeningServer } from './http/server.js';
import { createProjectionRunner, type ProjectionRunner } from './projections/projection-runner.js';
import { openLabStore } from './lab/lab-store.js';
import type { EventStore, LogPosition } from './store/port.js';
import { DEFAULT_DEVICE_LIMITS, defaultLimitOf, type DeviceLimits, type StateLimit } from './domain/device/device-limits.js';
import { unconfiguredHardware } from './hardware/unconfigured-hardware.js';
import type { LabHardware } from './lab/hardware-ports.js';
import { createPeerNetwork } from './lab/peers/peer-network.js';
import { peerRoutes } from './http/labpool/peer-routes.js';
import { createCoreLab, createDeviceDeadlineIndex, type Lab } from './lab/lab.js';
import { DIALECTS } from './dialects/dialects.js';
import type { Dialect, DialectPart } from './dialects/dialect.js';
import { syncInventory, syncInventoryFile } from './lab/inventory-sync.js';
import { startHardware } from './hardware/create-hardware.js';
import { createRelayInfoCheck } from './hardware/power/relay-info.js';
import { simLabConfigOf } from './sim/sim-config.js';
import { SIM_SSH_PORT, simLabInventory, startSimLab, type SimLab } from './sim/sim-lab.js';
import { createLabReadModels } from './projections/lab/lab-read-models.js';
import type { DeviceReadModel } from './projections/read-models.js';
import { createMetrics, type Metrics } from './metrics/create-metrics.js';
import { createErrorOnlyLogger, logErrorsTo, logWarningsTo, type Logger } from './logging/logger.js';
import { logStoreWritabilityTo } from './logging/store-writability-log.js';
import { createIdentity, type Identity } from './identity/identity.js';
import { loadUserDirectory } from './identity/user-directory.js';
import { checkSecurity } from './http/access/check-security.js';
import { createServerViews } from './projections/servers/server-views.js';
import { serverRoutes } from './http/labpool/server-routes.js';
import { createLabpoolAdminOnlyAccess } from './http/access/labpool-admin-access.js';
import { handOverDevices } from './lab/handover.js';
import { DEFAULT_HEARTBEAT_MS, startHeartbeat, type Heartbeat } from './lab/server-heartbeat.js';

/** A running labpool: its parts for tests and the CLI, and how to stop it. */
export interface RunningLabpool {
  readonly url: string;
  /** This server's id: the configured one, with the bound port when port 0 was asked for. */
  readonly serverId: string;
  readonly version: string;
  readonly store: EventStore;
  readonly actors: ActorSystem;
  readonly projections: ProjectionRunner;
  /** The core lab: devices, catalogue, holders. */
  readonly lab: Lab;
  /** An API family's part of this lab (its actors, commands and read models), by its dialect. */
  part<Part extends DialectPart>(dialect: Dialect<Part>): Part;
  /** This server's metrics; `metrics.registry` is what `GET /metrics` renders. */
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Re-applies the inventory file (what `POST /labpool/inventory/sync` and SIGHUP do). */
  readonly inventory: InventoryAdmin;
  /** The simulated lab, when this server runs one. */
  readonly simLab: SimLab | undefined;
  /** Users and API tokens, for every API family. */
  readonly identity: Identity;
  stop(): Promise<void>;
}

function limitOverrides(overrides: LabpoolConfig['lifeguardLimits']): DeviceLimits {
  const limits: Record<string, StateLimit> = {};
  for (const [state, limit] of Object.entries(overrides ?? {})) {
    const base = defaultLimitOf(state);
    limits[state] = { timeoutMs: limit.timeoutMs === undefined ? base.timeoutMs : limit.timeoutMs, maxCount: limit.maxCount === undefined ? base.maxCount : limit.maxCount };
  }
  return limits;
}

/** The image labpool installed on each device: the simulated disks keep it over a restart. */
function installedImagesOf(devices: DeviceReadModel): Record<string, string> {
  return Object.fromEntries(devices.list().map((device) => [device.name, device.image]));
}

/**
 * Port 0 asks for any free port, but the server id (devices' URL of labpool, PXE variables, request
 * URLs) must name the real one: pick it before anything uses the id.
 */
async function withBoundPort(config: LabpoolConfig): Promise<LabpoolConfig> {
  if (config.http.port !== 0) return config;
  const port = await findFreeTcpPort(config.http.host);
  const serverId = config.serverId.endsWith(':0') ? `${config.serverId.slice(0, -2)}:${port}` : config.serverId;
  return { ...config, serverId, http: { ...config.http, port } };
}

export function readLabpoolVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return packageJson.version;
}

/** What tests and the simulated lab replace; production takes the defaults. */
export type LabpoolOverrides = {
  readonly hardware?: LabHardware;
  readonly nowMs?: () => number;
  /** Where logs go; main.ts passes the LABPOOL_LOG_LEVEL logger, the default logs errors to stderr. */
  readonly logger?: Logger;
  /** Wraps the store every part uses (tests inject faults with it: a crash after a given event). */
  readonly wrapStore?: (store: EventStore) => EventStore;
};

/** Composition root: config → store → actor system → projections → lab → HTTP. */
export async function startLabpool(requested: LabpoolConfig, overrides: LabpoolOverrides = {}): Promise<RunningLabpool> {
  // First: a bad users setting or file stops the start before anything runs. The simulated lab has a demo user.
  const simulatedLab = overrides.hardware === undefined && requested.inventory.file === null && requested.sim.enabled;
  const users = loadUserDirectory(requested.auth, { demoUser: simulatedLab });
  checkSecurity(requested.security, users);
  const config = await withBoundPort(requested);
  const version = readLabpoolVersion();
  const logger = overrides.logger ?? createErrorOnlyLogger();
  const { readModels, projections: readModelProjections } = createLabReadModels();
  const metrics = createMetrics({ readModels, onStoreWritability: logStoreWritabilityTo(logger) });
  const opened = openLabStore(config.store);
  const store = metrics.wrapStore(overrides.wrapStore?.(opened) ?? opened);
  const nowMs = overrides.nowMs ?? Date.now;
  const actors = createActorSystem({
    store,
    serverId: config.serverId,
    snapshotEvery: config.actors.snapshotEvery,
    idleShutdownMs: config.actors.idleShutdownMs,
    askTimeoutMs: config.actors.queryTimeoutMs,
    nowMs,
    onError: logErrorsTo(logger, 'actors'),
  });
  const waitFor = (position: LogPosition) => projections.waitFor(position);
  const identity = createIdentity({ users, system: actors, tokenUseIntervalMs: config.auth?.tokenUseIntervalMs, waitFor, nowMs });
  const dialectLabs = DIALECTS.map((dialect) => ({ dialect, lab: dialect.lab({ config, readModels, metrics: metrics.registry, identity, simulatedLab }) }));
  const deviceDeadlines = createDeviceDeadlineIndex();
  const servers = createServerViews();
  const projections = createProjectionRunner(
    store,
    [...readModelProjections, ...dialectLabs.flatMap(({ lab }) => lab.projections), ...metrics.projections, deviceDeadlines, identity.tokenViews, servers],
    logErrorsTo(logger, 'projections'),
  );
  await projections.start();
  const realHardware = overrides.hardware === undefined ? await startHardware(config.hardware) : undefined;
  // No inventory and real hardware: run the simulated lab on loopback, wired to that hardware.
  const simulated = realHardware !== undefined && config.inventory.file === null && config.sim.enabled;
  const hardware = overrides.hardware ?? realHardware?.hardware ?? unconfiguredHardware;
  const peers = createPeerNetwork({ serverId: config.serverId, token: config.servers?.peerToken, timeoutMs: config.servers?.peerTimeoutMs, store });
  const lab = createCoreLab({
    serverId: config.serverId,
    peers,
    system: actors,
    hardware,
    readModels,
    deviceDeadlines,
    waitFor,
    nowMs,
    defaultVerifyPort: simulated ? SIM_SSH_PORT : config.hardware.verify.defaultTcpPort,
    deviceLimits: { ...DEFAULT_DEVICE_LIMITS, ...limitOverrides(config.lifeguardLimits) },
    onError: logErrorsTo(logger, 'lab'),
    onWarn: logWarningsTo(logger, 'lab'),
  });
  const parts = new Map<Dialect, DialectPart>(dialectLabs.map(({ dialect, lab: dialectLab }) => [dialect, dialectLab.attach(lab, actors)]));
  const inventoryFile = config.inventory.file ?? undefined;
  const checkRelayInfo = createRelayInfoCheck(config.hardware.power);
  const inventory = {
    file: inventoryFile,
    sync: (force: boolean) => (inventoryFile === undefined ? Promise.reject(new Error('no inventory file')) : syncInventoryFile(lab, inventoryFile, { force, checkRelayInfo })),
  };
  const stopParts = async () => {
    for (const part of parts.values()) part.stop?.();
    await actors.stop();
    await realHardware?.stop();
    await projections.stop();
    await store.close();
  };
  // A refused or unusable inventory ends the start; what is already running must not outlive it.
  if (inventoryFile !== undefined) {
    try {
      await inventory.sync(config.inventory.forceSync);
    } catch (error) {
      await stopParts();
      throw error;
    }
  }
  // The simulated lab runs here, or in a process of its own (`labpool sim`) whose inventory is known from the same settings.
  const simLab = simulated && !config.sim.external ? await startSimLab(simLabConfigOf(config, realHardware.tftp, installedImagesOf(readModels.devices))) : undefined;
  if (simLab !== undefined) await syncInventory(lab, simLab.inventory, { force: false });
  else if (simulated) await syncInventory(lab, simLabInventory(simLabConfigOf(config, realHardware.tftp)), { force: false });
  // Before the recovery moves them: work cut short on devices the last run left mid-state.
  await lab.resumeDeviceWork();
  for (const part of parts.values()) await part.recover();
  lab.restoreDeviceDeadlines();
  for (const part of parts.values()) part.restoreDeadlines();
  for (const part of parts.values()) part.start?.();
  const factsRoutes = deviceFactsRoutes({ serverId: config.serverId, devices: lab.context.kinds.devices, readModels, waitFor, nowMs, deviceSources: config.security?.deviceSources ?? null });
  const heartbeatMs = config.servers?.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const recoverFamilies = async (devices: ReadonlySet<string>) => {
    for (const part of parts.values()) await part.recover(devices);
  };
  const takeOverFamilies = async (from: string) => {
    const taken: string[] = [];
    for (const part of parts.values()) taken.push(...((await part.takeOver?.(from)) ?? []));
    return taken;
  };
  const handOver = (from: string, correlationId: string) => handOverDevices(lab, from, { correlationId, recoverFamilies, takeOverFamilies });
  const adminAccess = createLabpoolAdminOnlyAccess(identity);
  const routesOfServers = serverRoutes({ serverId: config.serverId, devices: readModels.devices, servers, heartbeatMs, nowMs, adminAccess, handOver });
  const labRoutes = [factsRoutes, peerRoutes(peers), routesOfServers, ...[...parts.values()].map((part) => part.registerRoutes)];
  const server = await listen(
    createApp({
      version,
      serverId: config.serverId,
      labRoutes,
      inventory,
      store,
      logger,
      metrics: metrics.registry,
      logHead: () => projections.position(),
      maxTailsPerClient: config.http.maxTailsPerClient,
      identity,
      corsOrigins: config.http.cors?.origins,
    }),
    config.http.host,
    config.http.port,
    {
      headersTimeoutMs: config.http.headersTimeoutMs ?? DEFAULT_REQUEST_TIMEOUTS.headersTimeoutMs,
      requestTimeoutMs: config.http.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUTS.requestTimeoutMs,
    },
  );
  // The families' own servers (LBaaS's HTTPS port): one that cannot start ends the start, as the main one would.
  const ownServers: ListeningServer[] = [];
  try {
    for (const part of parts.values()) {
      const own = await part.serve?.();
      if (own !== undefined) ownServers.push(own);
    }
  } catch (error) {
    for (const own of ownServers) await own.close();
    await server.close();
    await simLab?.stop();
    await stopParts();
    throw error;
  }
  // Only a server set up as one of several records that it is alive (see servers.heartbeatMs).
  const heartbeat: Heartbeat | undefined =
    config.servers === undefined ? undefined : startHeartbeat({ store, serverId: config.serverId, version, heartbeatMs, nowMs, onError: logErrorsTo(logger, 'servers') });
  return {
    url: server.url,
    serverId: config.serverId,
    version,
    store,
    actors,
    projections,
    lab,
    part<Part extends DialectPart>(dialect: Dialect<Part>): Part {
      const part = parts.get(dialect);
      if (part === undefined) throw new Error(`${dialect.name} is not one of this server's dialects`);
      // The map holds what `dialect.lab(...).attach` returned: a Part of that very dialect.
      return part as Part;
    },
    metrics,
    logger,
    inventory,
    simLab,
    identity,
    async stop() {
      heartbeat?.stop();
      for (const own of ownServers) await own.close();
      await server.close();
      await simLab?.stop();
      await stopParts();
    },
  };
}
