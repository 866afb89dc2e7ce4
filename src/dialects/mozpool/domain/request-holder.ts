import type { DeviceEvent } from '../../../domain/device/device-events.js';
import type { DeviceState } from '../../../domain/device/device-state.js';
import type { Holder } from '../../../domain/holders/holder.js';
import type { RequestCommand } from './request-commands.js';

/** A MozPool request as the holder of its device. */
export function requestHolder(requestId: number): Holder {
  return { kind: 'mozpool_request', id: String(requestId) };
}

/** The MozPool request among holders: null for any other kind. */
export function requestIdOf(holder: Holder | null): number | null {
  return holder?.kind === 'mozpool_request' ? Number(holder.id) : null;
}

/**
 * What a device tells the request holding it: on `operation_complete` or a `failed_*` state, how
 * imaging went. Pure; the lab's holder dispatcher delivers the commands.
 */
export function reactToHeldDevice(event: DeviceEvent, device: DeviceState): readonly RequestCommand[] {
  if (event.type !== 'DeviceStateEntered' || device.name === null) return [];
  const { to, atMs } = event.data;
  const result = to === 'operation_complete' ? 'complete' : to.startsWith('failed_') ? 'failed-bad-device' : undefined;
  return result === undefined ? [] : [{ type: 'ImagingResult', device: device.name, result, nowMs: atMs }];
}
