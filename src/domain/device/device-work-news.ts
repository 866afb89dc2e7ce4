import type { DeviceEvent } from './device-events.js';
import type { DeviceState } from './device-state.js';

/** What a holder hears when the work it asked of its device ends: done, or the device failed. */
export type DeviceWorkNews =
  { readonly type: 'DeviceWorkDone'; readonly node: string; readonly image: string | null } | { readonly type: 'DeviceFailed'; readonly node: string; readonly state: string };

/**
 * Pure: imaging and power cycles end in `operation_complete`, a self-test in `ready` straight from
 * `self_test_running`; any `failed_*` state is a failure of the device.
 */
export function deviceWorkNews(event: DeviceEvent, device: DeviceState): readonly DeviceWorkNews[] {
  if (event.type !== 'DeviceStateEntered' || device.name === null) return [];
  const { from, to } = event.data;
  if (to === 'operation_complete' || (to === 'ready' && from === 'self_test_running')) return [{ type: 'DeviceWorkDone', node: device.name, image: device.image }];
  if (to.startsWith('failed_')) return [{ type: 'DeviceFailed', node: device.name, state: to }];
  return [];
}
