import { accept, reject, type Rejection } from '../decider.js';
import type { DeviceCommand } from './device-commands.js';
import type { DeviceState } from './device-state.js';
import type { DeviceDecision } from './device-transitions.js';

type HandOver = Extract<DeviceCommand, { readonly type: 'HandOver' }>;

/**
 * The old owner is presumed dead, so nothing of it is asked: the expected revision of the append is
 * what stops a handover racing a server that is still writing the device.
 */
export function decideHandOver(state: DeviceState, command: HandOver): DeviceDecision {
  const { from, to, nowMs } = command;
  const owner = state.inventory?.imagingServer;
  if (from === to) return reject('same_server', `device ${state.name} cannot be handed over from ${from} to itself`);
  // Sent again after a crash or by a second operator: already done.
  if (owner === to) return accept();
  if (owner !== from) return reject('not_owner', `device ${state.name} belongs to ${owner}, not ${from}`);
  return accept({ type: 'DeviceHandedOver', data: { from, to, atMs: nowMs } });
}

/** True when the device was handed over and `serverId` is not its owner now: that server no longer acts on it. */
export function isHandedOverAwayFrom(state: DeviceState, serverId: string): boolean {
  return state.handover !== null && state.inventory !== null && state.inventory.imagingServer !== serverId;
}

/** Why `serverId` refuses a command for a device handed over to another server. */
export function handedOverRejection(state: DeviceState): Rejection {
  const owner = state.inventory?.imagingServer ?? state.handover?.to;
  const at = state.handover === null ? 'an unknown time' : new Date(state.handover.atMs).toISOString();
  return { code: 'handed_over', message: `device ${state.name} was handed over to ${owner} at ${at}; this server no longer acts on it` };
}
