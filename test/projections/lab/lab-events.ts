import { requestHolder } from '../../../src/dialects/mozpool/domain/request-holder.js';
import type { DeviceEvent, DeviceInventory } from '../../../src/domain/device/device-events.js';
import type { LifeGuardState } from '../../../src/domain/device/lifeguard-states.js';
import type { ImageDefinition, InventoryEvent, PxeConfigDefinition } from '../../../src/domain/inventory/inventory-events.js';
import type { RequestEvent } from '../../../src/dialects/mozpool/domain/request-events.js';
import type { GivenEvent } from './given-events.js';

/** Typed event builders, so the tests cannot drift from the event definitions. */
export const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);

export function deviceEvent(name: string, event: DeviceEvent): GivenEvent {
  return { stream: `device-${name}`, ...event };
}

export function requestEvent(id: number, event: RequestEvent): GivenEvent {
  return { stream: `request-${id}`, ...event };
}

export function inventoryEvent(event: InventoryEvent): GivenEvent {
  const category = { ImageDefined: 'image', PxeConfigDefined: 'pxeconfig', HardwareTypeDefined: 'hardwaretype' }[event.type];
  return { stream: `${category}-${event.data.name}`, ...event };
}

export function inventoryOf(name: string, overrides: Partial<DeviceInventory> = {}): DeviceInventory {
  return {
    fqdn: `${name}.lab.example.com`,
    inventoryId: 100,
    macAddress: '00:11:22:33:44:55',
    imagingServer: 'lab1:8010',
    relayInfo: 'pdu1.lab.example.com/1',
    hardwareType: 'panda',
    environment: 'prod',
    tags: [],
    labels: {},
    rack: null,
    rackLabels: {},
    ...overrides,
  };
}

export function registered(name: string, overrides: Partial<DeviceInventory> = {}, atMs = T0): GivenEvent {
  return deviceEvent(name, { type: 'DeviceRegistered', data: { name, ...inventoryOf(name, overrides), atMs } });
}

export function entered(name: string, from: LifeGuardState, to: LifeGuardState, atMs = T0, reason = ''): GivenEvent {
  const data = { from, to, trigger: 'continue', reason, atMs, timeoutAtMs: null, counter: 1, clearedCounters: false } as const;
  return deviceEvent(name, { type: 'DeviceStateEntered', data });
}

/** A registered device that reached `ready`. */
export function readyDevice(name: string, overrides: Partial<DeviceInventory> = {}): GivenEvent[] {
  return [registered(name, overrides), entered(name, 'new', 'ready')];
}

export function attached(name: string, requestId: number): GivenEvent {
  return deviceEvent(name, { type: 'DeviceHolderAttached', data: { holder: requestHolder(requestId), atMs: T0 } });
}

export function detached(name: string, requestId: number, reason = 'returned'): GivenEvent {
  return deviceEvent(name, { type: 'DeviceHolderDetached', data: { holder: requestHolder(requestId), reason, atMs: T0 } });
}

export function retired(name: string): GivenEvent {
  return deviceEvent(name, { type: 'DeviceRetired', data: { atMs: T0 } });
}

export function imageDefined(name: string, overrides: Partial<ImageDefinition> = {}): GivenEvent {
  const definition: ImageDefinition = {
    name,
    bootConfigKeys: [],
    canReuse: false,
    hidden: false,
    hasSutAgent: false,
    verify: { tcpPort: 22 },
    pxeConfigs: {},
    ...overrides,
  };
  return inventoryEvent({ type: 'ImageDefined', data: { ...definition, atMs: T0 } });
}

export function pxeConfigDefined(name: string, overrides: Partial<PxeConfigDefinition> = {}): GivenEvent {
  const definition: PxeConfigDefinition = { name, version: 1, description: '', contents: 'DEFAULT linux', active: true, ...overrides };
  return inventoryEvent({ type: 'PxeConfigDefined', data: { ...definition, atMs: T0 } });
}

export function requestOpened(id: number, overrides: Partial<Extract<RequestEvent, { type: 'RequestOpened' }>['data']> = {}): GivenEvent {
  const data = {
    id,
    requestedDevice: 'any',
    assignee: 'alice@example.com',
    image: 'android',
    bootConfig: '{"b2gbase":"http://builds/1"}',
    environment: 'any',
    imagingServer: 'lab1:8010',
    expiresAtMs: T0 + 3_600_000,
    atMs: T0,
    ...overrides,
  };
  return requestEvent(id, { type: 'RequestOpened', data });
}
