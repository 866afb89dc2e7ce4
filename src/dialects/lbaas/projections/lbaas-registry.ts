import { DEVICE_EVENT_TYPES } from '../../../domain/device/device-event-types.js';
import type { DeviceEvent } from '../../../domain/device/device-events.js';
import { sameHolder, type Holder } from '../../../domain/holders/holder.js';
import { toDomainEvent } from '../../../domain/to-domain-event.js';
import { streamId } from '../../../projections/lab/event-time.js';
import type { Projection } from '../../../projections/projection-runner.js';
import type { RecordedEvent } from '../../../store/port.js';

/** One device of labpool's inventory as the Device API needs it, folded from its `device-*` stream. */
export type LbaasRecord = {
  readonly name: string;
  readonly inventoryId: number;
  /** What labpool reaches the device at (its inventory `fqdn`): the document's `address`. */
  readonly address: string;
  readonly hardwareType: string;
  readonly state: string;
  readonly holder: Holder | null;
  readonly retired: boolean;
  /** Epoch ms of its registration (again, after a retirement). */
  readonly createdAtMs: number;
  /** Epoch ms of the last change of anything the API shows. */
  readonly updatedAtMs: number;
};

/** The registry every Device API call reads: devices of every server, by inventory id. */
export interface LbaasRegistry extends Projection {
  /**
   * Registered devices, and retired ones a holder still has (`DELETED` until it lets go), by id. A
   * retired device nobody holds has left the registry.
   */
  list(): readonly LbaasRecord[];
  byId(id: number): LbaasRecord | undefined;
  /** Every device ever registered, retired ones included, in no order. */
  all(): readonly LbaasRecord[];
  /** The highest inventory id ever registered (retired devices included), 0 for none: ids are never reused. */
  maxInventoryId(): number;
}

type Change = Partial<Omit<LbaasRecord, 'name' | 'createdAtMs' | 'updatedAtMs'>>;

/** What `event` changes of a record; undefined when nothing the API shows. */
function changeOf(event: DeviceEvent): Change | undefined {
  switch (event.type) {
    case 'DeviceRegistered':
    case 'DeviceInventoryUpdated':
      return { inventoryId: event.data.inventoryId, address: event.data.fqdn, hardwareType: event.data.hardwareType, retired: false };
    case 'DeviceRetired':
      return { retired: true };
    case 'DeviceStateEntered':
      return { state: event.data.to };
    case 'DeviceHolderAttached':
      return { holder: event.data.holder };
    case 'DeviceHolderTransferred':
      return { holder: event.data.to };
    default:
      return undefined;
  }
}

function applyTo(record: LbaasRecord | undefined, name: string, event: DeviceEvent, atMs: number): LbaasRecord | undefined {
  if (event.type === 'DeviceHolderDetached') {
    if (record === undefined || !sameHolder(record.holder, event.data.holder)) return record;
    return { ...record, holder: null, updatedAtMs: atMs };
  }
  const change = changeOf(event);
  if (change === undefined) return record;
  if (record === undefined) {
    if (event.type !== 'DeviceRegistered') return undefined;
    return { name, inventoryId: 0, address: '', hardwareType: '', state: 'new', holder: null, retired: false, createdAtMs: atMs, updatedAtMs: atMs, ...change };
  }
  const reborn = record.retired && change.retired === false;
  return { ...record, ...change, updatedAtMs: atMs, createdAtMs: reborn ? atMs : record.createdAtMs };
}

const isListed = (record: LbaasRecord) => !record.retired || record.holder !== null;

/** Folds every device stream into the registry. */
export function createLbaasRegistry(): LbaasRegistry {
  const records = new Map<string, LbaasRecord>();
  const apply = (recorded: RecordedEvent) => {
    const event = toDomainEvent(recorded, DEVICE_EVENT_TYPES);
    if (event === undefined) return;
    const name = streamId(recorded.stream, 'device');
    const atMs = typeof event.data.atMs === 'number' ? event.data.atMs : recorded.createdAtMs;
    const next = applyTo(records.get(name), name, event, atMs);
    if (next === undefined) records.delete(name);
    else records.set(name, next);
  };
  const list = () => [...records.values()].filter(isListed).sort((a, b) => a.inventoryId - b.inventoryId || (a.name < b.name ? -1 : 1));
  return {
    name: 'lbaas-registry',
    filter: { streamPrefixes: ['device-'] },
    apply,
    list,
    byId: (id) => list().find((record) => record.inventoryId === id),
    all: () => [...records.values()],
    maxInventoryId: () => [...records.values()].reduce((max, record) => Math.max(max, record.inventoryId), 0),
  };
}
