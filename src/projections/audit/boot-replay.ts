import { evolveBoots, noBoots, type BootRecord } from '../../domain/boot/boot-record.js';
import { DEVICE_EVENT_TYPES } from '../../domain/device/device-event-types.js';
import { toDomainEvent } from '../../domain/to-domain-event.js';
import type { EventStore, RecordedEvent } from '../../store/port.js';

/** Every boot of the device these events (its stream, in order) record, oldest first. */
export function bootsOf(device: string, events: readonly RecordedEvent[]): readonly BootRecord[] {
  return events.reduce((boots, recorded) => {
    const event = toDomainEvent(recorded, DEVICE_EVENT_TYPES);
    return event === undefined ? boots : evolveBoots(boots, event);
  }, noBoots(device)).boots;
}

/**
 * The boot records of `device`, replayed from its stream in the store (as the audit history is: an
 * audit does not trust the read models it audits); undefined when the device has no stream.
 */
export async function queryBoots(store: EventStore, device: string): Promise<{ readonly boots: readonly BootRecord[] } | undefined> {
  const events = await store.readStream(`device-${device}`);
  return events.length === 0 ? undefined : { boots: bootsOf(device, events) };
}
