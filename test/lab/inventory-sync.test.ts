import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InventoryFileError } from '../../src/domain/inventory/inventory-file.js';
import { InventorySyncRefusedError } from '../../src/lab/inventory-sync.js';
import { startLabpool, type RunningLabpool } from '../../src/labpool.js';
import { createFakeHardware } from '../support/fake-hardware.js';
import { createTestConfig, createTestInventory, inventoryFileText } from '../support/lab-harness.js';

/** The inventory as an operator writes it: the test inventory in the file format. */
function writeInventory(path: string, devices: number, imageChange: Record<string, unknown> = {}, prefix = 'panda'): void {
  const inventory = createTestInventory(devices, prefix);
  const images = inventory.images.map((image) => ({ ...image, ...(image.name === 'ubuntu' ? imageChange : {}) }));
  writeFileSync(path, inventoryFileText({ ...inventory, images }));
}

/** The same file with one device's relay_info replaced. */
function writeInventoryWithRelayInfo(path: string, devices: number, relayInfo: string): void {
  const inventory = createTestInventory(devices);
  writeFileSync(path, inventoryFileText({ ...inventory, devices: inventory.devices.map((device, i) => (i === 1 ? { ...device, relayInfo } : device)) }));
}

/** Fake hardware on which the given devices' self-tests never end, so they stay where the sync put them. */
function stillHardware(prefix: string, count: number) {
  const fake = createFakeHardware();
  for (let i = 1; i <= count; i++) fake.power.set(`${prefix}-${String(i).padStart(4, '0')}`, 'hang');
  return fake.hardware;
}

describe('inventory at run time: POST /labpool/inventory/sync', () => {
  let dir: string;
  let file: string;
  let labpool: RunningLabpool;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-inventory-'));
    file = join(dir, 'inventory.json');
    writeInventory(file, 60);
    const fake = createFakeHardware();
    for (let i = 1; i <= 61; i++) fake.power.set(`panda-${String(i).padStart(4, '0')}`, 'hang');
    labpool = await startLabpool(createTestConfig({ inventory: { file, forceSync: false } }), { hardware: fake.hardware });
  });
  after(async () => {
    await labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const sync = async (query = '') => {
    const response = await fetch(`${labpool.url}/labpool/inventory/sync${query}`, { method: 'POST' });
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
  };
  const devices = async () => ((await (await fetch(`${labpool.url}/api/device/list/`)).json()) as { devices: string[] }).devices;

  it('loaded the file at start', async () => {
    assert.equal((await devices()).length, 60);
  });

  it('applies additions and changes of the file', async () => {
    writeInventory(file, 61, { canReuse: true });
    const answer = await sync();
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { file, devices: 61, retired: [] });
    assert.ok((await devices()).includes('panda-0061'));
    const images = ((await (await fetch(`${labpool.url}/api/image/list/`)).json()) as { images: { name: string; can_reuse: boolean }[] }).images;
    assert.equal(images.find((image) => image.name === 'ubuntu')?.can_reuse, true);
  });

  it('refuses to retire more than max(5, 10%) of the devices unless forced', async () => {
    writeInventory(file, 50);
    const refused = await sync();
    assert.equal(refused.status, 409);
    assert.equal(refused.type, 'application/problem+json');
    assert.match(refused.body.detail, /refused/);
    assert.equal((await devices()).length, 61);
    const forced = await sync('?force=1');
    assert.equal(forced.status, 200);
    assert.equal(forced.body.retired.length, 11);
    assert.equal((await devices()).length, 50);
  });

  it('answers 400 for a relay_info naming an unknown PDU model, and applies nothing of the file', async () => {
    writeInventoryWithRelayInfo(file, 52, 'snmp://private@pdu2:161/7?model=apc');
    const answer = await sync('?force=1');
    assert.equal(answer.status, 400);
    assert.equal(answer.type, 'application/problem+json');
    assert.match(answer.body.detail, /devices\[1\]\.relayInfo "snmp:\/\/private@pdu2:161\/7\?model=apc": unknown PDU model 'apc' \(known: apc_spdu, apc_rpdu2, servertech_sentry\)/);
    writeInventoryWithRelayInfo(file, 52, 'pdu2:161/x');
    assert.match((await sync()).body.detail, /devices\[1\]\.relayInfo "pdu2:161\/x": outlet 'x' is not a positive integer/);
    assert.equal((await devices()).length, 50);
  });

  it('answers 400 for a file it cannot use, and keeps the lab as it was', async () => {
    writeFileSync(file, JSON.stringify({ devices: [{ name: 'x' }] }));
    const answer = await sync();
    assert.equal(answer.status, 400);
    assert.equal(answer.type, 'application/problem+json');
    assert.match(answer.body.detail, /fqdn/);
    assert.equal((await devices()).length, 50);
  });
});

describe('inventory at start', () => {
  let dir: string;
  let store: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-inventory-start-'));
    store = join(dir, 'labpool.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const configFor = (file: string, forceSync = false) => createTestConfig({ store: { kind: 'sqlite', path: store, synchronous: 'NORMAL' }, inventory: { file, forceSync } });
  const deviceNames = (labpool: RunningLabpool) => labpool.lab.context.readModels.devices.list().map((device) => device.name);

  it('refuses an inventory with an unusable relay_info before storing anything of it', async () => {
    const file = join(dir, 'bad-relay.json');
    writeInventoryWithRelayInfo(file, 8, 'snmp://private@pdu2:161/7?model=apc');
    await assert.rejects(startLabpool(configFor(file), { hardware: stillHardware('panda', 8) }), (error: unknown) => {
      assert.ok(error instanceof InventoryFileError, String(error));
      assert.deepEqual(error.problems, ['devices[1].relayInfo "snmp://private@pdu2:161/7?model=apc": unknown PDU model \'apc\' (known: apc_spdu, apc_rpdu2, servertech_sentry)']);
      return true;
    });
    const empty = await startLabpool(createTestConfig({ store: { kind: 'sqlite', path: store, synchronous: 'NORMAL' } }), { hardware: stillHardware('panda', 0) });
    try {
      assert.deepEqual(deviceNames(empty), []);
      assert.deepEqual(empty.lab.context.readModels.images.list(true), []);
    } finally {
      await empty.stop();
    }
  });

  it('refuses, then forces, a file that would retire the devices the store holds', async () => {
    const kept = join(dir, 'kept.json');
    writeInventory(kept, 8);
    await (await startLabpool(configFor(kept), { hardware: stillHardware('panda', 8) })).stop();
    const other = join(dir, 'other.json');
    writeInventory(other, 8, {}, 'other');
    await assert.rejects(startLabpool(configFor(other), { hardware: stillHardware('other', 8) }), (error: unknown) => {
      assert.ok(error instanceof InventorySyncRefusedError, String(error));
      assert.equal(error.retire.length, 8);
      assert.equal(error.knownDevices, 8);
      return true;
    });
    const again = await startLabpool(configFor(kept), { hardware: stillHardware('panda', 8) });
    try {
      assert.equal(deviceNames(again).length, 8, 'nothing of the refused file was applied');
    } finally {
      await again.stop();
    }
    const forced = await startLabpool(configFor(other, true), { hardware: stillHardware('other', 8) });
    try {
      assert.deepEqual(
        deviceNames(forced).sort(),
        createTestInventory(8, 'other').devices.map((device) => device.name),
      );
    } finally {
      await forced.stop();
    }
  });
});
