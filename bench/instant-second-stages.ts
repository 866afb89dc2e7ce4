import type { RunningLabpool } from '../src/labpool.js';
import type { RecordedEvent, Subscription } from '../src/store/port.js';

/** A booted installer's reports of `image` for a device that entered `pxe_booting`, straight to its actor. */
export function secondStageOf(labpool: RunningLabpool, image: string): (device: string) => Promise<void> {
  const devices = labpool.lab.context.kinds.devices;
  return async (device) => {
    for (const event of ['mobile_init_started', `${image}_downloading`, `${image}_extracting`, `${image}_rebooting`]) {
      await devices.ask(device, { type: 'ReportEvent', event, nowMs: labpool.lab.context.nowMs() }, { actor: 'device' });
    }
  };
}

/**
 * A booted installer's reports of `image`, sent the moment its device enters `pxe_booting` (heard
 * from a log subscription, not polled, so a bench's timings carry no poll interval). Only for the
 * devices this server images (it wrote their `pxe_booting`): on a store several servers share, the
 * others' devices are theirs to drive, and an ask here would only be routed to them.
 */
export function driveSecondStages(labpool: RunningLabpool, image: string): Subscription {
  const report = secondStageOf(labpool, image);
  let stopping = false;
  const onEvent = (event: RecordedEvent) => {
    if ((event.data as { to?: string }).to !== 'pxe_booting' || event.metadata.server !== labpool.serverId) return;
    report(event.stream.slice('device-'.length)).catch((error: unknown) => {
      // Imaging cut short by the lab's stop at the end of a size is expected; anything else is not.
      if (!stopping) throw error;
    });
  };
  const subscription = labpool.store.subscribeToAll(labpool.projections.position(), { onEvent }, { eventTypes: ['DeviceStateEntered'] });
  return {
    close() {
      stopping = true;
      return subscription.close();
    },
  };
}
