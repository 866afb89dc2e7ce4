import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { waitFor } from '../support/wait-for.js';

async function api(lab: TestLab, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${lab.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

describe('MozPool lease flow over HTTP, with fake hardware', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab(createTestInventory(3));
  });
  after(() => lab.labpool.stop());

  it('has no inventory file to sync: 409 problem', async () => {
    const response = await fetch(`${lab.url}/labpool/inventory/sync`, { method: 'POST' });
    assert.equal(response.status, 409);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.match(((await response.json()) as { detail: string }).detail, /no inventory file/);
  });

  it('lists the devices, all ready', async () => {
    const list = await api(lab, 'GET', '/api/device/list/');
    assert.deepEqual(list.body, { devices: ['panda-0001', 'panda-0002', 'panda-0003'] });
    const state = await api(lab, 'GET', '/api/device/panda-0001/state/');
    assert.deepEqual(state.body, { state: 'ready' });
  });

  it('images a requested device through PXE and the second stage, then returns it', async () => {
    const created = await api(lab, 'POST', '/api/device/any/request/', { assignee: 'me', duration: 600, image: 'android', b2gbase: 'http://x/b2g' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const { id, assigned_device: device } = created.body.request;
    assert.match(device, /^panda-000[123]$/);
    await waitFor(async () => (await api(lab, 'GET', `/api/device/${device}/state/`)).body.state === 'pxe_booting');
    assert.deepEqual(lab.fake.pxeFiles.size > 0, true);
    for (const event of ['mobile_init_started', 'android_downloading', 'android_extracting', 'android_rebooting']) {
      const posted = await api(lab, 'POST', `/api/device/${device}/event/${event}/`);
      assert.equal(posted.status, 200);
    }
    await waitFor(async () => (await api(lab, 'GET', `/api/request/${id}/status/`)).body.state === 'ready');
    const details = await api(lab, 'GET', `/api/device/list/?details=1`);
    const view = details.body.devices.find((d: { name: string }) => d.name === device);
    assert.equal(view.image, 'android');
    assert.equal(view.request_id, id);
    const log = (await api(lab, 'GET', `/api/device/${device}/log/`)).body.log.map((entry: { message: string }) => entry.message).join('\n');
    for (const state of ['pxe_power_cycling', 'pxe_booting', 'mobile_init_started', 'android_downloading', 'android_extracting', 'verifying', 'operation_complete', 'ready']) {
      assert.match(log, new RegExp(state));
    }
    assert.equal((await api(lab, 'POST', `/api/request/${id}/return/`)).status, 204);
    await waitFor(async () => (await api(lab, 'GET', `/api/device/list/?details=1`)).body.devices.find((d: { name: string }) => d.name === device).request_id === null);
    assert.equal((await api(lab, 'GET', `/api/request/${id}/status/`)).body.state, 'closed');
  });
});
