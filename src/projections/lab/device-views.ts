import { DEVICE_EVENT_TYPES } from '../../domain/device/device-event-types.js';
import { toDomainEvent } from '../../domain/to-domain-event.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection-runner.js';
import type { DeviceReadModel } from '../read-models.js';
import { createDeviceTable } from './device-table.js';
import { newDeviceView, updateDeviceView } from './device-view-updates.js';
import { streamId } from './event-time.js';

/** The device read model without logs (see device-logs.ts), folded from `device-*` streams. */
export type DeviceViews = Projection & Omit<DeviceReadModel, 'log'>;

/**
 * Ids are handed out in order of first registration from 1 and kept by name, so a device retired and
 * registered again gets its old id back instead of looking like a new machine.
 */
export function createDeviceViews(): DeviceViews {
  const table = createDeviceTable();
  const idsByName = new Map<string, number>();
  const revisions = new Map<string, number>();

  function idFor(name: string): number {
    let id = idsByName.get(name);
    if (id === undefined) idsByName.set(name, (id = idsByName.size + 1));
    return id;
  }

  function apply(recorded: RecordedEvent): void {
    const name = streamId(recorded.stream, 'device');
    revisions.set(name, recorded.revision);
    const event = toDomainEvent(recorded, DEVICE_EVENT_TYPES);
    if (event === undefined) return;
    const view = table.get(name);
    if (view !== undefined) {
      table.put(name, updateDeviceView(view, event));
    } else if (event.type === 'DeviceRegistered') {
      table.put(name, newDeviceView(idFor(name), name, event.data, event.data.atMs));
    }
    // Anything else about an unregistered (or retired) device has no view to change.
  }

  return {
    name: 'lab-devices',
    filter: { streamPrefixes: ['device-'] },
    apply,
    list: table.list,
    get: table.get,
    stateMap: table.stateMap,
    free: table.free,
    environments: table.environments,
    revision: (name) => revisions.get(name),
  };
}
