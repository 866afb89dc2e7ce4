import type { ActorKind, ActorSystem } from '../actors/actor-system.js';
import { hardwareTypeActor, type HardwareTypeCommand, type HardwareTypeDefined, type HardwareTypeState } from '../domain/inventory/hardware-type-decider.js';
import { imageActor, type ImageCommand, type ImageDefined, type ImageState } from '../domain/inventory/image-decider.js';
import { pxeConfigActor, type PxeConfigCommand, type PxeConfigDefined, type PxeConfigState } from '../domain/inventory/pxe-config-decider.js';
import type { DeviceLimits } from '../domain/device/device-limits.js';
import type { RequestLimits } from '../dialects/mozpool/domain/request-limits.js';
import { createDeviceDecider } from '../domain/device/device-decider.js';
import { createRequestDecider } from '../dialects/mozpool/domain/request-decider.js';
import { createDeadlineIndex, type DeadlineIndex } from '../projections/deadline-index.js';
import type { MozpoolReadModels } from '../projections/read-models.js';
import { STATES_WITH_WORK, createDeviceActor, resumeStateWork } from './device-actor.js';
import type { LabHardware } from './hardware-ports.js';
import type { LabCommands } from '../dialects/mozpool/actors/lab-commands.js';
import type { LabContext, LabKinds } from './lab-context.js';
import { createLabCommands, type WaitForPosition } from '../dialects/mozpool/actors/lab-service.js';
import { recoverHolders, type HolderRecovery } from '../dialects/mozpool/actors/holder-recovery.js';
import { createRequestActor, createRequestHolderReactions } from '../dialects/mozpool/actors/request-actor.js';
import { createHolderDispatcher } from './holder-reactions.js';
import { requestIdsDecider } from '../dialects/mozpool/domain/request-ids.js';

export type LabOptions = {
  readonly serverId: string;
  readonly system: ActorSystem;
  readonly hardware: LabHardware;
  readonly readModels: MozpoolReadModels;
  /** Fed by the same projection runner as `readModels`; `restoreDeadlines` arms from them. */
  readonly deadlines: LabDeadlineIndexes;
  readonly waitFor: WaitForPosition;
  readonly nowMs?: () => number;
  /** Verify port when an image names none (default 22, ssh). */
  readonly defaultVerifyPort?: number;
  readonly onError?: (error: unknown, context: string) => void;
  /** Default: console.warn. */
  readonly onWarn?: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly deviceLimits?: DeviceLimits;
  readonly requestLimits?: RequestLimits;
};

export type Lab = {
  readonly context: LabContext;
  /** Images, PXE configs and hardware types: written by the inventory sync. */
  readonly catalogue: {
    readonly images: ActorKind<ImageCommand, ImageDefined, ImageState>;
    readonly pxeConfigs: ActorKind<PxeConfigCommand, PxeConfigDefined, PxeConfigState>;
    readonly hardwareTypes: ActorKind<HardwareTypeCommand, HardwareTypeDefined, HardwareTypeState>;
  };
  readonly waitFor: WaitForPosition;
  readonly commands: LabCommands;
  /**
   * Arms the deadline the log records for every device and open request of this server, without
   * loading their actors: each loads on its first command or when its deadline fires. Once, at start:
   * it releases the deadline indexes.
   */
  restoreDeadlines(): { readonly devices: number; readonly requests: number };
  /**
   * Finishes what reactions a crash cut short between devices and their requests (see
   * `recoverHolders`). Once, at start, after the read models caught up and before `restoreDeadlines`.
   */
  recoverHolders(): Promise<HolderRecovery>;
  /**
   * Runs again the hardware work of this server's devices that the last run left in a state that has
   * some (seen when the lab was created), unless they moved since; returns how many. Once, at start.
   */
  resumeDeviceWork(): Promise<number>;
};

/** The deadline indexes a lab restores from; hand them to the projection runner with the read models. */
export type LabDeadlineIndexes = { readonly devices: DeadlineIndex; readonly requests: DeadlineIndex };

export function createLabDeadlineIndexes(): LabDeadlineIndexes {
  // Limits change decisions, never evolve or nextDeadline: the default deciders fold the same deadlines.
  return { devices: createDeadlineIndex('device', createDeviceDecider()), requests: createDeadlineIndex('request', createRequestDecider()) };
}

/** The MozPool lab on the actor system: device, request and boot actors, and the commands HTTP sends them. */
export function createLab(options: LabOptions): Lab {
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
    get kinds(): LabKinds {
      if (kinds === undefined) throw new Error('the lab is still registering its actors');
      return kinds;
    },
  };
  kinds = {
    devices: options.system.register(createDeviceActor(context, options.deviceLimits)),
    requests: options.system.register(createRequestActor(context, options.requestLimits)),
    requestIds: options.system.register({ category: 'requestids', decider: requestIdsDecider }),
  };
  context.holders.register(createRequestHolderReactions(context));
  const leftWithWork = options.readModels.devices
    .list()
    .filter((device) => device.imaging_server === options.serverId && STATES_WITH_WORK.has(device.state))
    .map((device) => ({ name: device.name, revision: options.readModels.devices.revision(device.name) }));
  const catalogue = {
    images: options.system.register(imageActor),
    pxeConfigs: options.system.register(pxeConfigActor),
    hardwareTypes: options.system.register(hardwareTypeActor),
  };
  return {
    context,
    catalogue,
    waitFor: options.waitFor,
    commands: createLabCommands(context, options.waitFor),
    recoverHolders: () => recoverHolders(context),
    async resumeDeviceWork() {
      // A device that moved since (an inventory sync, a live reaction) has work of its own under way.
      const unmoved = leftWithWork.filter(({ name, revision }) => revision !== undefined && options.readModels.devices.revision(name) === revision);
      await Promise.all(unmoved.map(({ name }) => resumeStateWork(context, name)));
      return unmoved.length;
    },
    restoreDeadlines() {
      let devices = 0;
      let requests = 0;
      for (const device of options.readModels.devices.list()) {
        const deadline = device.imaging_server === options.serverId ? options.deadlines.devices.deadlineOf(device.name) : undefined;
        if (deadline === undefined) continue;
        context.kinds.devices.restoreDeadline(device.name, deadline);
        devices++;
      }
      for (const request of options.readModels.requests.list(false)) {
        const id = String(request.id);
        const deadline = request.imaging_server === options.serverId ? options.deadlines.requests.deadlineOf(id) : undefined;
        if (deadline === undefined) continue;
        context.kinds.requests.restoreDeadline(id, deadline);
        requests++;
      }
      // From here on the actors arm their own deadlines: the indexes would only cost memory and time.
      options.deadlines.devices.release();
      options.deadlines.requests.release();
      return { devices, requests };
    },
  };
}
