import type { StoreConfig } from '../config/config.js';
import { DEVICE_UPCASTERS } from '../domain/device/device-upcasters.js';
import { createEventStore } from '../store/create-store.js';
import type { EventStore, Upcaster } from '../store/port.js';
import { withUpcasters } from '../store/upcasting-store.js';

/** Every event type an earlier labpool stored that today's code reads as another. */
export const LAB_UPCASTERS: readonly Upcaster[] = [...DEVICE_UPCASTERS];

/** The configured store as every part of labpool reads it: with old event types upcast. */
export function openLabStore(config: StoreConfig): EventStore {
  return withUpcasters(createEventStore(config), LAB_UPCASTERS);
}
