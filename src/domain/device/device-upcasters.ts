import type { Json } from '../json.js';
import type { Upcaster } from '../upcaster.js';
import type { Holder } from '../holders/holder.js';

/** A request id as the holder it became. */
function requestHolder(data: Json): Holder {
  const { requestId } = data as { readonly requestId: number };
  return { kind: 'mozpool_request', id: String(requestId) };
}

/** What an inventory written before tags, labels and racks (up to commit 86538b7) reads as: none of them. */
function withNodeSelectors(data: Json): Json {
  const inventory = data as Readonly<Record<string, Json>>;
  if (Object.hasOwn(inventory, 'tags')) return data;
  return { ...inventory, tags: [], labels: {}, rack: null, rackLabels: {} };
}

/**
 * Stores written before holders (up to commit 8160ffa) name the MozPool request a device
 * was attached to; those events read as the holder events that replaced them. Stores written before
 * tags, labels and racks read with none.
 */
export const DEVICE_UPCASTERS: readonly Upcaster[] = [
  {
    fromType: 'DeviceRequestAttached',
    toType: 'DeviceHolderAttached',
    upcast: (data) => {
      const { atMs } = data as { readonly atMs: number };
      return { holder: requestHolder(data), atMs };
    },
  },
  {
    fromType: 'DeviceRequestDetached',
    toType: 'DeviceHolderDetached',
    upcast: (data) => {
      const { reason, atMs } = data as { readonly reason: string; readonly atMs: number };
      return { holder: requestHolder(data), reason, atMs };
    },
  },
  // Same types, older data: the inventory events read with empty tags and labels and no rack.
  { fromType: 'DeviceRegistered', toType: 'DeviceRegistered', upcast: withNodeSelectors },
  { fromType: 'DeviceInventoryUpdated', toType: 'DeviceInventoryUpdated', upcast: withNodeSelectors },
];
