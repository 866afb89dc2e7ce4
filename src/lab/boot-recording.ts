import type { BootCommand } from '../domain/boot/boot-decider.js';
import type { DeviceEvent } from '../domain/device/device-events.js';
import type { DeviceState } from '../domain/device/device-state.js';
import { requestIdOf } from '../domain/request/request-holder.js';
import type { EventMetadata } from '../store/port.js';
import { reactionMetadata, type LabContext } from './lab-context.js';

/**
 * Copies what happens during a boot into that boot's stream, in order: the boot actor's mailbox
 * receives the commands in the order they are sent here, one device decision after another.
 */
export function forwardToBoot(ctx: LabContext, state: DeviceState, events: readonly DeviceEvent[], cause: EventMetadata): void {
  const bootIds = bootIdsOf(state, events);
  events.forEach((event, i) => {
    const bootId = bootIds[i];
    const command = toBootCommand(event, state);
    if (bootId === null || bootId === undefined || command === undefined) return;
    ctx.kinds.boots.ask(bootId, command, reactionMetadata('lifeguard', cause)).catch((error: unknown) => ctx.onError(error, `boot ${bootId}`));
  });
}

/** Which boot each event belongs to, read backwards from the state the decision ended in. */
function bootIdsOf(state: DeviceState, events: readonly DeviceEvent[]): (string | null)[] {
  const ids: (string | null)[] = new Array<string | null>(events.length).fill(null);
  let current = state.boot?.id ?? null;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === 'BootEnded') current = event.data.bootId;
    if (event.type === 'BootStarted') {
      ids[i] = event.data.bootId;
      current = null;
      continue;
    }
    ids[i] = current;
  }
  return ids;
}

function toBootCommand(event: DeviceEvent, state: DeviceState): BootCommand | undefined {
  switch (event.type) {
    case 'BootStarted': {
      const { kind, image, pxeConfig, atMs } = event.data;
      const device = state.name ?? '';
      const hardwareType = state.inventory?.hardwareType ?? '';
      return { type: 'Open', bootId: event.data.bootId, device, kind, image, pxeConfig, bootConfig: state.nextBootConfig, hardwareType, requestId: requestIdOf(state.holder), nowMs: atMs };
    }
    case 'DeviceStateEntered':
      return { type: 'EnterStage', stage: event.data.to, counter: event.data.counter, nowMs: event.data.atMs };
    case 'PowerCycleSucceeded':
      return { type: 'RecordPowerCycle', ok: true, error: null, nowMs: event.data.atMs };
    case 'PowerCycleFailed':
      return { type: 'RecordPowerCycle', ok: false, error: event.data.error, nowMs: event.data.atMs };
    case 'DeviceEventReported':
      return event.data.ignored ? undefined : { type: 'RecordDeviceEvent', event: event.data.event, nowMs: event.data.atMs };
    case 'BootEnded':
      return { type: 'Finish', outcome: event.data.outcome, finalState: event.data.state, nowMs: event.data.atMs };
    default:
      return undefined;
  }
}
