import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LabpoolConfig } from '../../../src/config/config.js';
import { lbaasDialect } from '../../../src/dialects/lbaas/lbaas-dialect.js';
import { simCertificateFiles } from '../../../src/dialects/lbaas/lbaas-config.js';
import { isLbaasError } from '../../../src/dialects/lbaas/http/lbaas-errors.js';
import { startSimLabpool, type SimLabpool } from '../../support/sim-labpool.js';
import { waitFor } from '../../support/wait-for.js';
import { lbaasCall, type LbaasAnswer } from './lbaas-https.js';

const PATIENCE_MS = 90_000;

function assertError(answer: LbaasAnswer, status: number, details: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.ok(isLbaasError(answer.body, status), JSON.stringify(answer.body));
  assert.match(answer.body.details, details);
}

describe('LBaaS Device API over HTTPS: create, update, delete', () => {
  let sim: SimLabpool;
  let config: LabpoolConfig | undefined;
  let base: string;
  let ca: string;
  const call = (method: string, path: string, body?: unknown) => lbaasCall(base, ca, method, path, body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) });
  const usageMatchesList = async () => {
    const [list, usage] = await Promise.all([call('GET', '/v1/devices'), call('GET', '/v1/devices/usage')]);
    const free = list.body.devices.filter((device: { status: string }) => device.status === 'OFFLINE').length;
    assert.deepEqual(usage.body, { total: list.body.devices.length, free, taken: list.body.devices.length - free });
    return list.body.devices as { id: number; name: string; status: string; address: string }[];
  };

  before(async () => {
    sim = await startSimLabpool(2, {}, (adjusted) => (config = adjusted));
    base = sim.labpool.part(lbaasDialect).url() ?? assert.fail('the simulated lab serves LBaaS');
    ca = readFileSync(simCertificateFiles(dirname(config?.store.kind === 'sqlite' ? config.store.path : '')).certFile, 'utf8');
  });
  after(() => sim?.stop());

  it('creates a device: 200 with status OFFLINE and the next inventory id, registered in the inventory', async () => {
    const before = (await usageMatchesList()).length;
    const created = await call('POST', '/v1/devices', { name: 'lbaas-v1-067e6162-3b6f-4ae2-a171-2470b63dff00', address: '15.185.96.125' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.status, 'OFFLINE');
    assert.equal(created.body.id, 3);
    assert.equal(created.body.type, 'HAProxy');
    assert.equal(created.body.loadbalancer, 0);
    assert.equal(sim.labpool.lab.context.readModels.devices.get('lbaas-v1-067e6162-3b6f-4ae2-a171-2470b63dff00')?.inventoryId, 3);
    assert.equal((await usageMatchesList()).length, before + 1);
    assert.deepEqual((await call('GET', '/v1/devices/3')).body.name, 'lbaas-v1-067e6162-3b6f-4ae2-a171-2470b63dff00');
  });

  it('refuses a duplicate name, a missing field, bad JSON and an address that is no IP with 400', async () => {
    assertError(
      await call('POST', '/v1/devices', { name: 'lbaas-v1-067e6162-3b6f-4ae2-a171-2470b63dff00', address: '10.0.0.9' }),
      400,
      /^device name : lbaas-v1-067e6162-3b6f-4ae2-a171-2470b63dff00 already exists$/,
    );
    assertError(await call('POST', '/v1/devices', { name: 'sim-0001', address: '10.0.0.9' }), 400, /^device name : sim-0001 already exists$/);
    assertError(await call('POST', '/v1/devices', { name: 'lb-x' }), 400, /address is required/);
    assertError(await call('POST', '/v1/devices', '{"name": "lb-x",'), 400, /JSON/);
    assertError(await call('POST', '/v1/devices', '[1]'), 400, /object/);
    assertError(await call('POST', '/v1/devices', { name: 'lb-x', address: 'not-an-ip' }), 400, /IPv4 or IPv6/);
    assertError(await call('POST', '/v1/devices', { name: 'lb x/..', address: '10.0.0.9' }), 400, /device name/);
    assert.equal((await call('POST', '/v1/devices', { name: 'lb-v6', address: 'fd00::7' })).status, 200);
  });

  it('updates only name and address; a name taken by another device is a 400', async () => {
    const updated = await call('PUT', '/v1/devices/3', { address: '15.185.96.126', status: 'ONLINE', id: 99 });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.address, '15.185.96.126');
    assert.equal(updated.body.id, 3);
    assertError(await call('PUT', '/v1/devices/3', { name: 'lb-v6' }), 400, /^device name : lb-v6 already exists$/);
    assertError(await call('PUT', '/v1/devices/3', { address: '300.1.1.1' }), 400, /IPv4 or IPv6/);
    assertError(await call('PUT', '/v1/devices/77', { address: '10.1.1.1' }), 404, /77/);
    const renamed = await call('PUT', '/v1/devices/3', { name: 'lb-renamed' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual([renamed.body.id, renamed.body.name, renamed.body.address], [3, 'lb-renamed', '15.185.96.126']);
    assert.deepEqual(
      (await usageMatchesList()).filter((device) => device.id === 3).map((device) => device.name),
      ['lb-renamed'],
    );
  });

  it('deletes a free device (204, retired in the inventory) and refuses one in use with 400', async () => {
    const deleted = await call('DELETE', '/v1/devices/3');
    assert.equal(deleted.status, 204);
    assertError(await call('GET', '/v1/devices/3'), 404, /3/);
    assert.equal(sim.labpool.lab.context.readModels.devices.get('lb-renamed'), undefined);
    assertError(await call('DELETE', '/v1/devices/3'), 404, /3/);
    await waitFor(async () => (await usageMatchesList()).find((device) => device.name === 'sim-0001')?.status === 'OFFLINE', PATIENCE_MS);
    const leased = await fetch(`${sim.labpool.url}/api/device/sim-0001/request/`, { method: 'POST', body: JSON.stringify({ assignee: 'lbaas-test', duration: 600, image: 'ubuntu' }) });
    assert.equal(leased.status, 200);
    assertError(await call('DELETE', '/v1/devices/1'), 400, /in use by request \d+/);
    assert.notEqual(sim.labpool.lab.context.readModels.devices.get('sim-0001'), undefined);
    await usageMatchesList();
  });

  it('a new device takes an id never used before, even after a delete', async () => {
    const created = await call('POST', '/v1/devices', { name: 'lb-after', address: '10.9.9.9' });
    assert.equal(created.status, 200);
    assert.equal(created.body.id, 5);
  });
});
