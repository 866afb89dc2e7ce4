import { requestHolder } from '../../../src/dialects/mozpool/domain/request-holder.js';
import type { DeviceEvent, DeviceInventory } from '../../../src/domain/device/device-events.js';
import type { LifeGuardState } from '../../../src/domain/device/lifeguard-states.js';
import type { RequestEvent, RequestStateName } from '../../../src/dialects/mozpool/domain/request-events.js';
import type { EventMetadata, Json, RecordedEvent } from '../../../src/store/port.js';

/** 2024-06-01T12:00:00Z: the audited events happen a minute apart from here. */
export const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
export const MINUTE_MS = 60_000;

export const inventory: DeviceInventory = {
  fqdn: 'panda-0001.lab',
  inventoryId: 1,
  macAddress: '02:00:00:00:00:01',
  imagingServer: 'lab1:8010',
  relayInfo: 'pdu1:161/1',
  hardwareType: 'panda',
  environment: 'any',
  tags: [],
  labels: {},
  rack: null,
  rackLabels: {},
};

/** A device's life: registered at T0, self-tested, ready, leased by request 7 at T0 + 3 min. */
export function deviceLife(name = 'panda-0001'): DeviceEvent[] {
  const entered = (from: LifeGuardState, to: LifeGuardState, minutes: number): DeviceEvent => ({
    type: 'DeviceStateEntered',
    data: { from, to, trigger: 'continue', reason: `${to} now`, atMs: T0 + minutes * MINUTE_MS, timeoutAtMs: null, counter: 1, clearedCounters: false },
  });
  return [
    { type: 'DeviceRegistered', data: { name, ...inventory, atMs: T0 } },
    entered('new', 'start_self_test', 1),
    entered('start_self_test', 'ready', 2),
    { type: 'DeviceHolderAttached', data: { holder: requestHolder(7), atMs: T0 + 3 * MINUTE_MS } },
  ];
}

/** Request 7: opened at T0, pending at T0 + 1 min, ready at T0 + 2 min. */
export function requestLife(id = 7): RequestEvent[] {
  const entered = (from: RequestStateName, to: RequestStateName, minutes: number): RequestEvent => ({
    type: 'RequestStateEntered',
    data: { from, to, reason: to, atMs: T0 + minutes * MINUTE_MS, timeoutAtMs: null, counter: 1 },
  });
  const opened: RequestEvent = {
    type: 'RequestOpened',
    data: { id, requestedDevice: 'any', assignee: 'me', image: 'android', bootConfig: '{}', environment: 'any', imagingServer: 'lab1:8010', expiresAtMs: T0 + 3_600_000, atMs: T0 },
  };
  return [opened, entered('new', 'pending', 1), entered('pending', 'ready', 2)];
}

/** Events as a store records them: appended a second after they happened, with metadata. */
export function recorded(stream: string, events: readonly { readonly type: string; readonly data: unknown }[], metadata: EventMetadata = {}): RecordedEvent[] {
  return events.map((event, revision) => ({
    id: `${stream}-${revision}`,
    stream,
    revision,
    position: BigInt(revision + 1),
    type: event.type,
    data: event.data as Json,
    metadata,
    createdAtMs: T0 + revision * MINUTE_MS + 1000,
  }));
}
