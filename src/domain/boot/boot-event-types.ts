import { eventTypes } from '../to-domain-event.js';
import type { BootEvent } from './boot-events.js';

/** Every boot event type: the compiler refuses this list until a new type is added to it. */
export const BOOT_EVENT_TYPES = eventTypes<BootEvent>({
  BootOpened: true, BootStageEntered: true, BootPowerCycleAttempted: true, BootDeviceReported: true, BootFinished: true,
});
