import type { ActorKind, ActorSystem } from '../actors/actor-system.js';
import { hardwareTypeActor, type HardwareTypeCommand, type HardwareTypeDefined, type HardwareTypeState } from '../domain/inventory/hardware-type-decider.js';
import { imageActor, type ImageCommand, type ImageDefined, type ImageState } from '../domain/inventory/image-decider.js';
import { pxeConfigActor, type PxeConfigCommand, type PxeConfigDefined, type PxeConfigState } from '../domain/inventory/pxe-config-decider.js';
import type { DeviceLimits } from '../domain/device/device-limits.js';
import { createDeviceDecider } from '../domain/device/device-decider.js';
import { createDeadlineIndex, type DeadlineIndex } from '../projections/deadline-index.js';
import type { LabReadModels } from '../projections/read-models.js';
import type { LogPosition } from '../store/port.js';
import { STATES_WITH_WORK, createDeviceActor, resumeStateWork } from './device-actor.js';
import type { LabHardware } from './hardware-ports.js';
import { createHolderDispatcher } from './holder-reactions.js';
import type { DeviceKind, LabContext, LabKinds } from './lab-context.js';
import { DEVICE_PEER_COMMANDS } from './peers/device-peer-commands.js';
import { createPeerNetwork, type PeerNetwork } from './peers/peer-network.js';

/** Resolves once the read models have applied the log up to `position` (read-your-writes). */
export type WaitForPosition = (position: LogPosition) => Promise<void>;

/**
 * Resolves once the read models show every one of `positions` (undefined: nothing was appended):
 * they apply the log in order, so waiting for the latest is waiting for all.
 */
export async function waitForAll(waitFor: WaitForPosition, positions: readonly (LogPosition | undefined)[]): Promise<void> {
  let latest: LogPosition | undefined;
  for (const position of positions) if (position !== undefined && (latest === undefined || position > latest)) latest = position;
  if (latest !== undefined) await waitFor(latest);
}

export type LabOptions = {
  readonly serverId: string;
  readonly system: ActorSystem;
  readonly hardware: LabHardware;
  readonly readModels: LabReadModels;
  /** Fed by the same projection runner as `readModels`; `restoreDeadlines` arms from it. */
  readonly deviceDeadlines: DeadlineIndex;
  readonly waitFor: WaitForPosition;
  readonly nowMs?: () => number;
  /** Verify port when an image names none (default 22, ssh). */
  readonly defaultVerifyPort?: number;
  readonly onError?: (error: unknown, context: string) => void;
  /** Default: console.warn. */
  readonly onWarn?: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly deviceLimits?: DeviceLimits;
  /** The other servers on the store; default: none (every device actor runs here). */
  readonly peers?: PeerNetwork;
};

/** The lab every API family builds on: the devices, the inventory catalogue and who holds each device. */
export type Lab = {
  readonly context: LabContext;
  /**
   * This server's device actors, not routed to the owner the read model names: for what must run here
   * before the read model says so (a handover, which makes this server the owner).
   */
  readonly localDevices: DeviceKind;
  /** Images, PXE configs and hardware types: written by the inventory sync. */
  readonly catalogue: {
    readonly images: ActorKind<ImageCommand, ImageDefined, ImageState>;
    readonly pxeConfigs: ActorKind<PxeConfigCommand, PxeConfigDefined, PxeConfigState>;
    readonly hardwareTypes: ActorKind<HardwareTypeCommand, HardwareTypeDefined, HardwareTypeState>;
  };
  readonly waitFor: WaitForPosition;
  /**
   * Arms the deadline the log records for every device of this server, without loading their
   * actors: each loads on its first command or when its deadline fires. Once, at start: it releases
   * the deadline index. Returns how many it armed.
   */
  restoreDeviceDeadlines(): number;
  /**
   * Runs again the hardware work of this server's devices that the last run left in a state that has
   * some (seen when the lab was created), unless they moved since; returns how many. Once, at start.
   */
  resumeDeviceWork(): Promise<number>;
};

/** The deadline index of the devices; hand it to the projection runner with the read models. */
export function createDeviceDeadlineIndex(): DeadlineIndex {
  // Limits change decisions, never evolve or nextDeadline: the default decider folds the same deadlines.
  return createDeadlineIndex('device', createDeviceDecider());
}

/** The core lab on the actor system: device actors, the catalogue, the holder dispatcher. */
export function createCoreLab(options: LabOptions): Lab {
  // The actors need the context, and the context names the actors: it hands them out once registered.
  let kinds: LabKinds | undefined = undefined;
  const context: LabContext = {
    serverId: options.serverId,
    hardware: options.hardware,
    readModels: options.readModels,
    nowMs: options.nowMs ?? Date.now,
    defaultVerifyPort: options.defaultVerifyPort ?? 22,
    onError: options.onError ?? ((error: unknown, where: string) => console.error(`[lab] ${where}:`, error)),
    warn: options.onWarn ?? ((_fields: unknown, message: string) => console.warn(`[lab] ${message}`)),
    holders: createHolderDispatcher(),
    peers: options.peers ?? createPeerNetwork({ serverId: options.serverId }),
    get kinds(): LabKinds {
      if (kinds === undefined) throw new Error('the lab is still registering its actors');
      return kinds;
    },
  };
  const localDevices = options.system.register(createDeviceActor(context, options.deviceLimits));
  const ownerOf = (name: string) => options.readModels.devices.get(name)?.imagingServer;
  kinds = { devices: context.peers.route('device', localDevices, ownerOf, DEVICE_PEER_COMMANDS) };
  const leftWithWork = options.readModels.devices
    .list()
    .filter((device) => device.imagingServer === options.serverId && STATES_WITH_WORK.has(device.state))
    .map((device) => ({ name: device.name, revision: options.readModels.devices.revision(device.name) }));
  const catalogue = {
    images: options.system.register(imageActor),
    pxeConfigs: options.system.register(pxeConfigActor),
    hardwareTypes: options.system.register(hardwareTypeActor),
  };
  return {
    context,
    localDevices,
    catalogue,
    waitFor: options.waitFor,
    async resumeDeviceWork() {
      // A device that moved since (an inventory sync, a live reaction) has work of its own under way.
      const unmoved = leftWithWork.filter(({ name, revision }) => revision !== undefined && options.readModels.devices.revision(name) === revision);
      await Promise.all(unmoved.map(({ name }) => resumeStateWork(context, name)));
      return unmoved.length;
    },
    restoreDeviceDeadlines() {
      let devices = 0;
      for (const device of options.readModels.devices.list()) {
        const deadline = device.imagingServer === options.serverId ? options.deviceDeadlines.deadlineOf(device.name) : undefined;
        if (deadline === undefined) continue;
        context.kinds.devices.restoreDeadline(device.name, deadline);
        devices++;
      }
      // From here on the actors arm their own deadlines: the index would only cost memory and time.
      options.deviceDeadlines.release();
      return devices;
    },
  };
}
