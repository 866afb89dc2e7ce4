import type { DeviceEvent } from '../../domain/device/device-events.js';
import type { LabDevice, PowerTrouble } from '../read-models.js';
import { isoUtc } from './event-time.js';

export type { PowerTrouble } from '../read-models.js';

type PowerCycleEvent = Extract<DeviceEvent, { readonly type: 'PowerCycleSucceeded' | 'PowerCycleFailed' }>;

/**
 * A device whose most recent power cycles failed, none succeeding since: what the dashboard marks as
 * power trouble. A device without trouble has no such field.
 */
export function powerTroubleOf(view: LabDevice): PowerTrouble | undefined {
  return view.powerTrouble;
}

/** The view after a power cycle's result: a failure adds to the trouble, a success ends it. */
export function afterPowerCycle(view: LabDevice, event: PowerCycleEvent): LabDevice {
  const current = powerTroubleOf(view);
  if (event.type === 'PowerCycleSucceeded') return current === undefined ? view : withoutPowerTrouble(view);
  const trouble: PowerTrouble = {
    failedCycles: (current?.failedCycles ?? 0) + 1,
    lastError: event.data.error,
    since: current?.since ?? isoUtc(event.data.atMs),
  };
  return { ...view, powerTrouble: trouble };
}

function withoutPowerTrouble(view: LabDevice): LabDevice {
  const { powerTrouble: _ended, ...rest } = view;
  return rest;
}
