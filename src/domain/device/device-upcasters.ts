import type { Json } from '../json.js';
import type { Upcaster } from '../upcaster.js';
import type { Holder } from '../holders/holder.js';

/** A request id as the holder it became. */
function requestHolder(data: Json): Holder {
  const { requestId } = data as { readonly requestId: number };
  return { kind: 'mozpool_request', id: String(requestId) };
}

/**
 * Stores written before holders (up to commit 8160ffa) name the MozPool request a device
 * was attached to; those events read as the holder events that replaced them.
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
];
