import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceCommand } from '../../../src/domain/device/device-commands.js';
import { DEVICE_UPCASTERS } from '../../../src/domain/device/device-upcasters.js';
import type { Json } from '../../../src/domain/json.js';
import { givenDecider } from '../../support/given-when-then.js';
import { NAME, T0, deviceDecider, inventoryOf, pxeBootingDevice, readyDevice, registeredDevice } from './device-fixtures.js';

const FACTS = { id: NAME, class: 'system', children: [{ id: 'cpu', class: 'processor' }] };

const reportFacts = (nowMs: number): DeviceCommand => ({ type: 'ReportFacts', generator: 'lshw', format: 'application/json', facts: FACTS, nowMs });

describe('device: hardware facts', () => {
  it('records a report in any state, without moving the state machine', () => {
    for (const history of [registeredDevice(), readyDevice(), pxeBootingDevice()]) {
      const before = history.state;
      history
        .when(reportFacts(T0 + 9))
        .thenEvents([{ type: 'DeviceFactsReported', data: { generator: 'lshw', format: 'application/json', facts: FACTS, atMs: T0 + 9 } }])
        .thenState((state) => assert.deepEqual({ ...state }, { ...before }));
    }
  });

  it('records every report, the same one again too', () => {
    readyDevice().send(reportFacts(T0)).when(reportFacts(T0)).thenEventTypes('DeviceFactsReported');
  });

  it('refuses a report of an unknown or retired device', () => {
    givenDecider(deviceDecider).when(reportFacts(T0)).thenRejected('unknown_device');
    readyDevice().send({ type: 'Retire', nowMs: T0 }).when(reportFacts(T0)).thenRejected('unknown_device');
  });
});

describe('device: tags, labels and racks', () => {
  const selectors = { tags: ['compute', 'high_memory'], labels: { role: 'compute', arch: 'x86_64' }, rack: 'rack-1', rackLabels: { room: 'lab-1' } };

  it('registers them with the device', () => {
    givenDecider(deviceDecider)
      .when({ type: 'Register', name: NAME, inventory: inventoryOf(selectors), nowMs: T0 })
      .thenState((state) => assert.deepEqual([state.inventory?.tags, state.inventory?.labels, state.inventory?.rack, state.inventory?.rackLabels], Object.values(selectors)));
  });

  for (const [what, change] of [
    ['a tag', { tags: ['compute'] }],
    ['a label', { labels: { role: 'compute', arch: 'aarch64' } }],
    ['the rack', { rack: 'rack-2' }],
    ['a rack label', { rackLabels: { room: 'lab-2' } }],
  ] as const) {
    it(`updates the inventory when ${what} changes`, () => {
      const changed = inventoryOf({ ...selectors, ...change });
      readyDevice()
        .register(inventoryOf(selectors))
        .when({ type: 'Register', name: NAME, inventory: changed, nowMs: T0 + 1 })
        .thenEvents([{ type: 'DeviceInventoryUpdated', data: { ...changed, atMs: T0 + 1 } }]);
    });
  }

  it('sees no change in labels listed in another order', () => {
    readyDevice()
      .register(inventoryOf(selectors))
      .when({ type: 'Register', name: NAME, inventory: inventoryOf({ ...selectors, labels: { arch: 'x86_64', role: 'compute' } }), nowMs: T0 + 1 })
      .thenNothing();
  });
});

describe('device upcasters: inventories stored before tags, labels and racks', () => {
  const upcast = (type: string, data: Json) => {
    const upcaster = DEVICE_UPCASTERS.find((candidate) => candidate.fromType === type);
    assert.ok(upcaster, `an upcaster reads ${type}`);
    assert.equal(upcaster.toType, type);
    return upcaster.upcast(data);
  };
  const { tags: _tags, labels: _labels, rack: _rack, rackLabels: _rackLabels, ...old } = inventoryOf();

  it('reads them with no tags, no labels and no rack', () => {
    for (const type of ['DeviceRegistered', 'DeviceInventoryUpdated']) {
      assert.deepEqual(upcast(type, { ...old, atMs: T0 }), { ...old, atMs: T0, tags: [], labels: {}, rack: null, rackLabels: {} });
    }
  });

  it('leaves inventories written since as they are', () => {
    const current = { ...inventoryOf({ tags: ['a'], rack: 'r', rackLabels: { room: 'x' } }), atMs: T0 };
    assert.equal(upcast('DeviceRegistered', current), current);
  });

  it('gives an upcast old registration and the same inventory today no difference', () => {
    const stored = upcast('DeviceRegistered', { name: NAME, ...old, atMs: T0 }) as { readonly name: string; readonly atMs: number };
    const { name: _name, atMs: _atMs, ...inventory } = stored;
    givenDecider(deviceDecider)
      .given({ type: 'DeviceRegistered', data: stored } as never)
      .when({ type: 'Register', name: NAME, inventory: inventoryOf(), nowMs: T0 + 1 })
      .thenNothing();
    assert.deepEqual(Object.keys(inventory).sort(), Object.keys(inventoryOf()).sort());
  });
});
