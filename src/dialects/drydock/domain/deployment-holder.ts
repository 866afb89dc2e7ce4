import type { DeviceEvent } from '../../../domain/device/device-events.js';
import type { DeviceState } from '../../../domain/device/device-state.js';
import type { Holder } from '../../../domain/holders/holder.js';

/**
 * A node held by Drydock is held by the node task (the subtask of one node) that took it: a deploy
 * keeps it after the task ends, until another node task takes it over or `destroy_nodes` releases it.
 */
export function deploymentHolder(nodeTaskId: string): Holder {
  return { kind: 'drydock_deployment', id: nodeTaskId };
}

/** The node task holding a device, or null when another kind of holder (or none) holds it. */
export function nodeTaskOf(holder: Holder | null): string | null {
  return holder?.kind === 'drydock_deployment' ? holder.id : null;
}

/** What a node task hears from the device it holds: the work it asked for ended, or the device failed. */
export type NodeDeviceNews =
  { readonly type: 'DeviceWorkDone'; readonly node: string; readonly image: string | null } | { readonly type: 'DeviceFailed'; readonly node: string; readonly state: string };

/**
 * Pure: imaging and power cycles end in `operation_complete`, a self-test in `ready` straight from
 * `self_test_running`; any `failed_*` state is a failure of the node.
 */
export function reactToNodeDevice(event: DeviceEvent, device: DeviceState): readonly NodeDeviceNews[] {
  if (event.type !== 'DeviceStateEntered' || device.name === null) return [];
  const { from, to } = event.data;
  if (to === 'operation_complete' || (to === 'ready' && from === 'self_test_running')) return [{ type: 'DeviceWorkDone', node: device.name, image: device.image }];
  if (to.startsWith('failed_')) return [{ type: 'DeviceFailed', node: device.name, state: to }];
  return [];
}
