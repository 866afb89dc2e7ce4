import type { DeviceEvent, DeviceInventory } from '../../domain/device/device-events.js';
import { sameHolder, type Holder } from '../../domain/holders/holder.js';
import { requestIdOf } from '../../dialects/mozpool/domain/request-holder.js';
import type { DeviceView } from '../read-models.js';
import { ignoreUnknownEvent } from './event-time.js';
import { afterPowerCycle } from './power-trouble.js';

/** A device as registration leaves it: `new` until its first state entry says otherwise. */
export function newDeviceView(id: number, name: string, inventory: DeviceInventory, atMs: number): DeviceView {
  return {
    id,
    name,
    ...inventoryFields(inventory),
    state: 'new',
    comments: '',
    image: '',
    boot_config: '',
    holder: null,
    request_id: null,
    stateEnteredAtMs: atMs,
  };
}

/** The inventory facts in the API's field names. */
export function inventoryFields(inventory: DeviceInventory) {
  return {
    fqdn: inventory.fqdn,
    inventory_id: inventory.inventoryId,
    mac_address: inventory.macAddress,
    imaging_server: inventory.imagingServer,
    relay_info: inventory.relayInfo,
    hardware_type: inventory.hardwareType,
    environment: inventory.environment,
  } as const satisfies Partial<DeviceView>;
}

/**
 * The view after `event`, for a registered device; undefined once it is retired. Events that change
 * nothing listed return `view` itself, so the table can skip them cheaply. Registration needs an id,
 * so the projection handles it before calling this.
 */
export function updateDeviceView(view: DeviceView, event: DeviceEvent): DeviceView | undefined {
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
      return { ...view, image: event.data.image, boot_config: event.data.bootConfig };
    case 'DeviceBootConfigSet':
      // As in MozPool, BMM stores the boot config at power-cycle time: the booting image reads it.
      return { ...view, boot_config: event.data.bootConfig };
    case 'DeviceCommentsSet':
      return { ...view, comments: event.data.comments };
    case 'DeviceEnvironmentSet':
      return { ...view, environment: event.data.environment };
    case 'PowerCycleSucceeded':
    case 'PowerCycleFailed':
      return afterPowerCycle(view, event);
    default:
      return unchangedBy(view, event);
  }
}

/** MozPool's `request_id` names the device's holder only when that is a MozPool request. */
function heldBy(view: DeviceView, holder: Holder | null): DeviceView {
  return { ...view, holder, request_id: requestIdOf(holder) };
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
      | 'DeviceBootConfigSet'
      | 'DeviceCommentsSet'
      | 'DeviceEnvironmentSet'
      | 'PowerCycleSucceeded'
      | 'PowerCycleFailed';
  }
>;

/** Events that only add a log line; listed so that a new event type is a compile error here. */
function unchangedBy(view: DeviceView, event: LogOnlyEvent): DeviceView {
  switch (event.type) {
    case 'DeviceImagingRequested':
    case 'BootStarted':
    case 'BootEnded':
    case 'PowerOffRequested':
    case 'PowerCycleRequested':
    case 'PxeClearRequested':
    case 'VerifyFailed':
    case 'DeviceEventReported':
    case 'DeviceLogged':
      return view;
    default:
      ignoreUnknownEvent(event);
      return view;
  }
}
