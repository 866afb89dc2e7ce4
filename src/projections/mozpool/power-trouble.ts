import type { DeviceEvent } from '../../domain/device/device-events.js';
import type { DeviceView } from '../read-models.js';
import { isoUtc } from './event-time.js';

/**
 * A device whose most recent power cycles failed, none succeeding since: what the dashboard marks as
 * power trouble and `/api/device/list/?details=1` reports as `power_trouble`. A device without
 * trouble has no such field, so MozPool's shape is unchanged for healthy devices.
 */
export type PowerTrouble = {
  /** Failed power cycles in a row, the latest included (≥ 1). */
  readonly failed_cycles: number;
  /** Why the latest one failed, as the power port said it. */
  readonly last_error: string;
  /** When the first of them failed: ISO 8601 UTC. */
  readonly since: string;
};

type PowerCycleEvent = Extract<DeviceEvent, { readonly type: 'PowerCycleSucceeded' | 'PowerCycleFailed' }>;

export function powerTroubleOf(view: DeviceView): PowerTrouble | undefined {
  return view.power_trouble;
}

/** The view after a power cycle's result: a failure adds to the trouble, a success ends it. */
export function afterPowerCycle(view: DeviceView, event: PowerCycleEvent): DeviceView {
  const current = powerTroubleOf(view);
  if (event.type === 'PowerCycleSucceeded') return current === undefined ? view : withoutPowerTrouble(view);
  const trouble: PowerTrouble = {
    failed_cycles: (current?.failed_cycles ?? 0) + 1,
    last_error: event.data.error,
    since: current?.since ?? isoUtc(event.data.atMs),
  };
  return { ...view, power_trouble: trouble };
}

function withoutPowerTrouble(view: DeviceView): DeviceView {
  const { power_trouble: _ended, ...rest } = view;
  return rest;
}
