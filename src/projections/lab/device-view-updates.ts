import type { DeviceEvent, DeviceInventory } from '../../domain/device/device-events.js';
import { sameHolder, type Holder } from '../../domain/holders/holder.js';
import type { LabDevice } from '../read-models.js';
import { ignoreUnknownEvent } from './event-time.js';
import { afterPowerCycle } from './power-trouble.js';

/** A device as registration leaves it: `new` until its first state entry says otherwise. */
export function newDeviceView(id: number, name: string, inventory: DeviceInventory, atMs: number): LabDevice {
  return {
    id,
    name,
    ...inventoryFields(inventory),
    state: 'new',
    comments: '',
    image: '',
    bootConfig: '',
    holder: null,
    stateEnteredAtMs: atMs,
  };
}

/** The inventory facts a device's record shows. */
export function inventoryFields(inventory: DeviceInventory) {
  return {
    fqdn: inventory.fqdn,
    inventoryId: inventory.inventoryId,
    macAddress: inventory.macAddress,
    imagingServer: inventory.imagingServer,
    relayInfo: inventory.relayInfo,
    hardwareType: inventory.hardwareType,
    environment: inventory.environment,
    tags: inventory.tags,
    labels: inventory.labels,
    rack: inventory.rack,
    rackLabels: inventory.rackLabels,
  } as const satisfies Partial<LabDevice>;
}

/**
 * The view after `event`, for a registered device; undefined once it is retired. Events that change
 * nothing listed return `view` itself, so the table can skip them cheaply. Registration needs an id,
 * so the projection handles it before calling this.
 */
export function updateDeviceView(view: LabDevice, event: DeviceEvent): LabDevice | undefined {
  switch (event.type) {
    case 'DeviceRegistered':
    case 'DeviceInventoryUpdated':
      return { ...view, ...inventoryFields(event.data) };
    case 'DeviceRetired':
      return undefined;
    case 'DeviceStateEntered':
      return { ...view, state: event.data.to, stateEnteredAtMs: event.data.atMs };
    case 'DeviceHolderAttached':
      return heldBy(view, event.data.holder);
    case 'DeviceHolderDetached':
      // A detach of some other holder would be a bug upstream; it must not free the device.
      return sameHolder(view.holder, event.data.holder) ? heldBy(view, null) : view;
    case 'DeviceHolderTransferred':
      return heldBy(view, event.data.to);
    case 'DeviceImageInstalled':
      return { ...view, image: event.data.image, bootConfig: event.data.bootConfig };
    case 'DeviceImagingRequested':
      // As MozPool set the device's config when imaging began: the second stage reads the boot config it
      // installs with. The live images (self-test, maintenance) carry none and leave the installed one.
      return event.data.bootConfig === '' ? view : { ...view, bootConfig: event.data.bootConfig };
    case 'DeviceBootConfigSet':
      // As in MozPool, BMM stores the boot config at power-cycle time: the booting image reads it.
      return { ...view, bootConfig: event.data.bootConfig };
    case 'DeviceCommentsSet':
      return { ...view, comments: event.data.comments };
    case 'DeviceEnvironmentSet':
      return { ...view, environment: event.data.environment };
    case 'PowerCycleSucceeded':
    case 'PowerCycleFailed':
      return afterPowerCycle(view, event);
    case 'DeviceHandedOver':
      return { ...view, imagingServer: event.data.to, handedOverFrom: event.data.from };
    default:
      return unchangedBy(view, event);
  }
}

function heldBy(view: LabDevice, holder: Holder | null): LabDevice {
  return { ...view, holder };
}

type LogOnlyEvent = Exclude<
  DeviceEvent,
  {
    readonly type:
      | 'DeviceRegistered'
      | 'DeviceInventoryUpdated'
      | 'DeviceRetired'
      | 'DeviceStateEntered'
      | 'DeviceHolderAttached'
      | 'DeviceHolderDetached'
      | 'DeviceHolderTransferred'
      | 'DeviceImageInstalled'
      | 'DeviceImagingRequested'
      | 'DeviceBootConfigSet'
      | 'DeviceCommentsSet'
      | 'DeviceEnvironmentSet'
      | 'PowerCycleSucceeded'
      | 'PowerCycleFailed'
      | 'DeviceHandedOver';
  }
>;

/** Events that only add a log line; listed so that a new event type is a compile error here. */
function unchangedBy(view: LabDevice, event: LogOnlyEvent): LabDevice {
  switch (event.type) {
    case 'BootStarted':
    case 'BootEnded':
    case 'PowerOffRequested':
    case 'PowerCycleRequested':
    case 'PxeClearRequested':
    case 'VerifyFailed':
    case 'DeviceEventReported':
    case 'DeviceLogged':
    case 'DeviceFactsReported':
      return view;
    default:
      ignoreUnknownEvent(event);
      return view;
  }
}
