import type { DeviceEvent } from '../domain/device/device-events.js';
import type { DeviceState } from '../domain/device/device-state.js';
import { loggerBehind } from '../logging/logger.js';
import { pduLabelOf } from '../metrics/pdu-label.js';
import type { LabContext } from './lab-context.js';

/**
 * Each failed power cycle, at warn in the process log. The device log has the details, but whoever
 * watches the process log (or alerts on it) would otherwise see nothing while a dead PDU keeps its
 * devices retrying, with MozPool's limits for hours, before they fail.
 */
export function logPowerCycleFailures(ctx: LabContext, state: DeviceState, events: readonly DeviceEvent[]): void {
  for (const event of events) {
    if (event.type === 'PowerCycleFailed') warn(ctx, powerFailureFields(state, event.data.error));
  }
}

type PowerFailureFields = ReturnType<typeof powerFailureFields>;

function powerFailureFields(state: DeviceState, reason: string) {
  const relayInfo = state.inventory?.relayInfo ?? '';
  // In a power-cycling state its timeout retries; elsewhere (BMM's power-cycle/) nothing does.
  const cycling = state.state.endsWith('_power_cycling');
  return {
    device: state.name ?? '',
    pdu: pduLabelOf(relayInfo),
    relayInfo,
    state: state.state,
    attempt: cycling ? (state.counters[state.state] ?? null) : null,
    retryAt: cycling && state.timeoutAtMs !== null ? new Date(state.timeoutAtMs).toISOString() : null,
    reason,
  };
}

function warn(ctx: LabContext, fields: PowerFailureFields): void {
  const attempt = fields.attempt === null ? '' : ` (attempt ${fields.attempt} in ${fields.state})`;
  const message = `power cycle of ${fields.device} failed${attempt}, PDU ${fields.pdu}: ${fields.reason}`;
  const logger = loggerBehind(ctx.onError);
  // A lab built without a logger reports errors to the console: its warnings go there too.
  if (logger === undefined) console.warn(`[lab] ${message}`);
  else logger.warn(fields, message);
}
