import type { RunningLabpool } from '../src/labpool.js';
import type { RecordedEvent, Subscription } from '../src/store/port.js';

/**
 * A booted installer's reports of `image`, sent the moment its device enters `pxe_booting` (heard
 * from a log subscription, not polled, so a bench's timings carry no poll interval).
 */
export function driveSecondStages(labpool: RunningLabpool, image: string): Subscription {
  const devices = labpool.lab.context.kinds.devices;
  const report = async (device: string) => {
    for (const event of ['mobile_init_started', `${image}_downloading`, `${image}_extracting`, `${image}_rebooting`]) {
      await devices.ask(device, { type: 'ReportEvent', event, nowMs: labpool.lab.context.nowMs() }, { actor: 'device' });
    }
  };
  let stopping = false;
  const onEvent = (event: RecordedEvent) => {
    if ((event.data as { to?: string }).to !== 'pxe_booting') return;
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
