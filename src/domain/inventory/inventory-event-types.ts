import { eventTypes } from '../to-domain-event.js';
import type { InventoryEvent } from './inventory-events.js';

/** Every inventory event type: the compiler refuses this list until a new type is added to it. */
export const INVENTORY_EVENT_TYPES = eventTypes<InventoryEvent>({ ImageDefined: true, PxeConfigDefined: true, HardwareTypeDefined: true });
