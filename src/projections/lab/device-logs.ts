import { describeDeviceEvent } from './device-log-lines.js';
import { createStreamLogs, type StreamLogs } from './stream-logs.js';

/** Lines kept in memory per device; older ones stay in the event store (CLI `history`). */
export const MAX_DEVICE_LOG_LINES = 1_000;

/** One log per device, dropped when the device is retired so a lab's turnover does not pile up. */
export function createDeviceLogs(maxLinesPerDevice = MAX_DEVICE_LOG_LINES): StreamLogs {
  return createStreamLogs({
    name: 'lab-device-logs',
    category: 'device',
    describe: describeDeviceEvent,
    isForgetting: (event) => event.type === 'DeviceRetired',
    maxLinesPerStream: maxLinesPerDevice,
  });
}
