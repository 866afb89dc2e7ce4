import { INVENTORY_EVENT_TYPES } from '../../domain/inventory/inventory-event-types.js';
import { toDomainEvent } from '../../domain/to-domain-event.js';
import type { RecordedEvent } from '../../store/port.js';
import type { Projection } from '../projection-runner.js';
import type { PxeConfigReadModel, PxeConfigView } from '../read-models.js';
import { compareNames } from './compare-names.js';

export type PxeConfigViews = Projection & PxeConfigReadModel;

/** PXE configs from `pxeconfig-*` streams: each `PxeConfigDefined` replaces the whole definition. */
export function createPxeConfigViews(): PxeConfigViews {
  const views = new Map<string, PxeConfigView>();
  let sorted: readonly PxeConfigView[] | undefined;

  function apply(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded, INVENTORY_EVENT_TYPES);
    if (event?.type !== 'PxeConfigDefined') return;
    const { name, version, description, contents, active } = event.data;
    views.set(name, { name, version, description, contents, active });
    sorted = undefined;
  }

  return {
    name: 'lab-pxe-configs',
    filter: { streamPrefixes: ['pxeconfig-'] },
    apply,
    list(activeOnly) {
      sorted ??= Object.freeze([...views.values()].sort((a, b) => compareNames(a.name, b.name)));
      return activeOnly ? sorted.filter((view) => view.active) : sorted;
    },
    get: (name) => views.get(name),
  };
}
