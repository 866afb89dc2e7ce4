import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLabpool, type RunningLabpool } from '../../src/labpool.js';
import { createFakeHardware } from '../support/fake-hardware.js';
import { createTestConfig, createTestInventory } from '../support/lab-harness.js';

/** The inventory as an operator writes it: the test inventory in the file format. */
function writeInventory(path: string, devices: number, imageChange: Record<string, unknown> = {}): void {
  const inventory = createTestInventory(devices);
  const images = inventory.images.map((image) => ({ ...image, ...(image.name === 'ubuntu' ? imageChange : {}) }));
  writeFileSync(path, JSON.stringify({ ...inventory, images }));
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
    const images = ((await (await fetch(`${labpool.url}/api/image/list/`)).json()) as { images: Array<{ name: string; can_reuse: boolean }> }).images;
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

  it('answers 422 for a file it cannot use, and keeps the lab as it was', async () => {
    writeFileSync(file, JSON.stringify({ devices: [{ name: 'x' }] }));
    const answer = await sync();
    assert.equal(answer.status, 422);
    assert.equal(answer.type, 'application/problem+json');
    assert.match(answer.body.detail, /fqdn/);
    assert.equal((await devices()).length, 50);
  });
});
