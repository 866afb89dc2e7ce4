import type { ActorKind, ActorSystem } from '../actors/actor-system.js';
import { hardwareTypeActor, type HardwareTypeCommand, type HardwareTypeDefined, type HardwareTypeState } from '../domain/inventory/hardware-type-decider.js';
import { imageActor, type ImageCommand, type ImageDefined, type ImageState } from '../domain/inventory/image-decider.js';
import { pxeConfigActor, type PxeConfigCommand, type PxeConfigDefined, type PxeConfigState } from '../domain/inventory/pxe-config-decider.js';
import { bootDecider } from '../domain/boot/boot-decider.js';
import type { DeviceLimits } from '../domain/device/device-limits.js';
import type { RequestLimits } from '../domain/request/request-limits.js';
import type { MozpoolReadModels } from '../projections/read-models.js';
import { createDeviceActor } from './device-actor.js';
import type { LabHardware } from './hardware-ports.js';
import type { LabCommands } from './lab-commands.js';
import type { LabContext } from './lab-context.js';
import { createLabCommands, type WaitForPosition } from './lab-service.js';
import { createRequestActor } from './request-actor.js';

export type LabOptions = {
  readonly serverId: string;
  readonly system: ActorSystem;
  readonly hardware: LabHardware;
  readonly readModels: MozpoolReadModels;
  readonly waitFor: WaitForPosition;
  readonly nowMs?: () => number;
  /** Verify port when an image names none (default 22, ssh). */
  readonly defaultVerifyPort?: number;
  readonly onError?: (error: unknown, context: string) => void;
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
  /** Loads every device of this server and every open request of this server, so that their deadlines are armed again. */
  wakeAll(): Promise<void>;
};

/** The MozPool lab on the actor system: device, request and boot actors, and the commands HTTP sends them. */
export function createLab(options: LabOptions): Lab {
  const context = {
    serverId: options.serverId,
    hardware: options.hardware,
    readModels: options.readModels,
    nowMs: options.nowMs ?? Date.now,
    defaultVerifyPort: options.defaultVerifyPort ?? 22,
    onError: options.onError ?? ((error: unknown, where: string) => console.error(`[lab] ${where}:`, error)),
    kinds: {},
  } as LabContext;
  context.kinds.devices = options.system.register(createDeviceActor(context, options.deviceLimits));
  context.kinds.requests = options.system.register(createRequestActor(context, options.requestLimits));
  context.kinds.boots = options.system.register({ category: 'boot', decider: bootDecider });
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
    async wakeAll() {
      const devices = options.readModels.devices.list().filter((device) => device.imaging_server === options.serverId);
      const requests = options.readModels.requests.list(false).filter((request) => request.imaging_server === options.serverId);
      await Promise.all([
        ...devices.map((device) => context.kinds.devices.read(device.name)),
        ...requests.map((request) => context.kinds.requests.read(String(request.id))),
      ]);
    },
  };
}
