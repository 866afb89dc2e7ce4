import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Json } from '../../../src/domain/json.js';
import { lbaasStatusOf } from '../../../src/dialects/lbaas/domain/lbaas-device.js';
import { createLbaasRegistry } from '../../../src/dialects/lbaas/projections/lbaas-registry.js';

const INVENTORY = {
  fqdn: '10.0.0.7',
  inventoryId: 7,
  macAddress: '',
  imagingServer: 'a:1',
  relayInfo: '',
  hardwareType: 'HAProxy',
  environment: 'lbaas',
  tags: [],
  labels: {},
  rack: null,
  rackLabels: {},
};
const HOLDER = { kind: 'mozpool_request', id: '42' };

/** Given these events of device `lb-1`, in order, one millisecond apart. */
function given(events: readonly [type: string, data: Record<string, Json>][]) {
  const registry = createLbaasRegistry();
  events.forEach(([type, data], i) => {
    const recorded = { id: String(i), stream: 'device-lb-1', revision: i, position: BigInt(i + 1), type, data: { ...data, atMs: 1000 + i }, metadata: {}, createdAtMs: 0 };
    registry.apply(recorded);
  });
  return registry;
}

const entered = (to: string): [string, Record<string, Json>] => ['DeviceStateEntered', { from: 'new', to, trigger: 'registered', reason: '', timeoutAtMs: null, counter: 1, clearedCounters: false }];

describe('LBaaS registry and status', () => {
  it('maps free ready to OFFLINE, held ready to ONLINE, on its way to BUILD, failed to ERROR', () => {
    const of = (state: string, held: boolean) => lbaasStatusOf({ state, holder: held ? { kind: 'vmpooler_vm', id: 'x' } : null, retired: false });
    assert.deepEqual(
      [of('ready', false), of('ready', true), of('pxe_booting', true), of('start_self_test', false), of('failed_self_test', false), of('locked_out', true)],
      ['OFFLINE', 'ONLINE', 'BUILD', 'BUILD', 'ERROR', 'ERROR'],
    );
  });

  it('shows a device retired while held as DELETED until its holder lets go, then forgets it', () => {
    const base: [string, Record<string, Json>][] = [['DeviceRegistered', { name: 'lb-1', ...INVENTORY }], entered('ready'), ['DeviceHolderAttached', { holder: HOLDER }], ['DeviceRetired', {}]];
    const held = given(base);
    assert.deepEqual(
      held.list().map((record) => [record.inventoryId, lbaasStatusOf(record), record.createdAtMs, record.updatedAtMs]),
      [[7, 'DELETED', 1000, 1003]],
    );
    const released = given([...base, ['DeviceHolderDetached', { holder: HOLDER, reason: 'returned' }]]);
    assert.deepEqual(released.list(), []);
    assert.equal(released.maxInventoryId(), 7, 'a retired id is never handed out again');
  });

  it('ignores a detach of another holder, and takes a retired device back as new on registration', () => {
    const other = given([
      ['DeviceRegistered', { name: 'lb-1', ...INVENTORY }],
      ['DeviceHolderAttached', { holder: HOLDER }],
      ['DeviceHolderDetached', { holder: { kind: 'vmpooler_vm', id: 'y' }, reason: '' }],
    ]);
    assert.deepEqual(other.byId(7)?.holder, HOLDER);
    const back = given([
      ['DeviceRegistered', { name: 'lb-1', ...INVENTORY }],
      ['DeviceRetired', {}],
      ['DeviceInventoryUpdated', { ...INVENTORY, fqdn: '10.0.0.8' }],
    ]);
    assert.deepEqual([back.byId(7)?.address, back.byId(7)?.createdAtMs], ['10.0.0.8', 1002]);
  });
});
