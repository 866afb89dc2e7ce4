import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InventoryDevice, InventoryFile } from '../../../src/domain/inventory/inventory-file.js';
import { planInventorySync } from '../../../src/domain/inventory/inventory-sync.js';

const names = (count: number, prefix = 'dev') => Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);

function fileWith(deviceNames: readonly string[]): InventoryFile {
  const device = (name: string): InventoryDevice => ({
    name,
    fqdn: `${name}.example.com`,
    inventoryId: 1,
    macAddress: '00:00:00:00:00:00',
    imagingServer: 'lab1:8010',
    relayInfo: 'pdu/1',
    hardwareType: 'panda',
    environment: 'any',
    tags: [],
    labels: {},
    rack: null,
    rackLabels: {},
  });
  return { hardwareTypes: [], images: [], pxeConfigs: [], racks: {}, devices: deviceNames.map(device) };
}

/** Given `current` devices, the file keeps all but `dropped` of them. */
function planDropping(current: number, dropped: number, force = false) {
  const all = names(current);
  return planInventorySync({ deviceNames: all }, fileWith(all.slice(dropped)), { force });
}

describe('inventory sync plan', () => {
  it('retires the devices the file no longer lists, sorted, and ignores new ones', () => {
    const plan = planInventorySync({ deviceNames: ['c', 'a', 'b', 'd'] }, fileWith(['b', 'new-one']), { force: false });
    assert.deepEqual(plan, { ok: true, retire: ['a', 'c', 'd'] });
  });

  it('retires nothing when the file lists every device', () => {
    assert.deepEqual(planDropping(20, 0), { ok: true, retire: [] });
  });

  it('always allows retiring up to 5 devices', () => {
    assert.equal(planDropping(5, 5).ok, true, 'even all of a five-device lab');
    assert.equal(planDropping(10, 5).ok, true);
    assert.equal(planDropping(49, 5).ok, true);
  });

  it('refuses a sixth device while 10% is below six', () => {
    const plan = planDropping(59, 6);
    assert.equal(plan.ok, false);
    assert.match(plan.ok ? '' : plan.message, /refusing to retire 6 of 59 devices .*dev-0001, dev-0002.*force/);
    assert.equal(planDropping(6, 6).ok, false);
  });

  it('allows up to 10% of a larger lab', () => {
    assert.equal(planDropping(60, 6).ok, true);
    assert.equal(planDropping(70, 7).ok, true);
    assert.equal(planDropping(70, 8).ok, false);
    assert.equal(planDropping(10_000, 1_000).ok, true);
    assert.equal(planDropping(10_000, 1_001).ok, false);
  });

  it('retires any number when forced', () => {
    const plan = planDropping(100, 100, true);
    assert.equal(plan.ok && plan.retire.length, 100);
  });

  it('shows at most ten names in a refusal', () => {
    const plan = planDropping(100, 40);
    assert.match(plan.ok ? '' : plan.message, /dev-0010, …;/);
  });

  it('counts a device listed twice as one', () => {
    const plan = planInventorySync({ deviceNames: ['a', 'a', 'b'] }, fileWith(['b']), { force: false });
    assert.deepEqual(plan, { ok: true, retire: ['a'] });
  });
});
