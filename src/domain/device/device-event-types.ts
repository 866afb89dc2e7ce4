import { eventTypes } from '../to-domain-event.js';
import type { DeviceEvent } from './device-events.js';

/** Every device event type: the compiler refuses this list until a new type is added to it. */
export const DEVICE_EVENT_TYPES = eventTypes<DeviceEvent>({
  DeviceRegistered: true,
  DeviceInventoryUpdated: true,
  DeviceRetired: true,
  DeviceStateEntered: true,
  DeviceHolderAttached: true,
  DeviceHolderDetached: true,
  DeviceHolderTransferred: true,
  DeviceImagingRequested: true,
  DeviceImageInstalled: true,
  DeviceBootConfigSet: true,
  BootStarted: true,
  BootEnded: true,
  PowerCycleSucceeded: true,
  PowerCycleFailed: true,
  PowerOffRequested: true,
  PowerCycleRequested: true,
  PxeClearRequested: true,
  VerifyFailed: true,
  DeviceEventReported: true,
  DeviceCommentsSet: true,
  DeviceEnvironmentSet: true,
  DeviceLogged: true,
  DeviceFactsReported: true,
  DeviceHandedOver: true,
});
