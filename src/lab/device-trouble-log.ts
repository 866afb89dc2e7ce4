import type { DeviceEvent } from '../domain/device/device-events.js';
import type { DeviceState } from '../domain/device/device-state.js';
import { pduLabelOf } from '../metrics/pdu-label.js';
import type { LabContext } from './lab-context.js';

/**
 * Each failed power cycle, and each `failed_*` state a device enters, at warn in the process log. The device log has the details, but whoever
 * watches the process log (or alerts on it) would otherwise see nothing while a dead PDU keeps its
 * devices retrying, with MozPool's limits for hours, before they fail.
 */
export function logDeviceTrouble(ctx: LabContext, state: DeviceState, events: readonly DeviceEvent[]): void {
  for (const event of events) {
    if (event.type === 'PowerCycleFailed') warn(ctx, powerFailureFields(state, event.data.error));
    if (event.type === 'DeviceStateEntered' && event.data.to.startsWith('failed_')) {
      const { from, to, reason } = event.data;
      ctx.warn({ device: state.name ?? '', from, state: to, reason }, `device ${state.name} entered ${to} (from ${from}): ${reason}`);
    }
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
  ctx.warn(fields, message);
}
