import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { waitFor } from '../support/wait-for.js';

async function post(lab: TestLab, path: string, body?: unknown) {
  const response = await fetch(`${lab.url}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}

async function get(lab: TestLab, path: string) {
  return (await (await fetch(`${lab.url}${path}`)).json()) as any;
}

describe('a faulty device under a request', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab(createTestInventory(2), { config: { lifeguardLimits: { pxe_power_cycling: { timeoutMs: 60_000, maxCount: 2 } } } });
  });
  after(() => lab.labpool.stop());

  it('fails the device and moves an any request to another device', async () => {
    lab.fake.power.set('panda-0001', 'fail');
    lab.fake.power.set('panda-0002', 'hang');
    const first = await post(lab, '/api/device/panda-0001/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
    assert.equal(first.status, 200);
    const named = first.body.request.id;
    await waitFor(async () => (await get(lab, '/api/device/panda-0001/state/')).state === 'failed_pxe_power_cycling');
    await waitFor(async () => (await get(lab, `/api/request/${named}/status/`)).state === 'failed_bad_device');

    await post(lab, '/api/device/panda-0001/state-change/failed_pxe_power_cycling/to/ready/');
    await waitFor(async () => (await get(lab, '/api/device/list/?details=1')).devices.find((d: any) => d.name === 'panda-0001').request_id === null);
    lab.fake.power.set('panda-0002', 'hang');
    const second = await post(lab, '/api/device/panda-0001/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    // panda-0001 is held by the named request: an `any` request can only get panda-0002.
    const anyRequest = await post(lab, '/api/device/any/request/', { assignee: 'you', duration: 600, image: 'ubuntu' });
    assert.equal(anyRequest.status, 200);
    assert.equal(anyRequest.body.request.assigned_device, 'panda-0002');
    const requestId = anyRequest.body.request.id;
    // panda-0002 now fails its power cycles; panda-0001 gets free when its named request is returned.
    lab.fake.power.set('panda-0002', 'fail');
    await post(lab, `/api/request/${second.body.request.id}/return/`);
    lab.fake.power.set('panda-0001', 'ok');
    await post(lab, '/api/device/panda-0001/state-change/failed_pxe_power_cycling/to/ready/');
    await waitFor(async () => (await get(lab, `/api/request/${requestId}/details/`)).assigned_device === 'panda-0001', 15_000);
    const log = (await get(lab, `/api/request/${requestId}/log/`)).log.map((entry: any) => entry.message).join('\n');
    assert.match(log, /panda-0002/);
    assert.equal((await get(lab, '/api/device/panda-0002/state/')).state, 'failed_pxe_power_cycling');
  });

  it('answers 404 for an unknown image or device and 409 for a busy named device', async () => {
    assert.equal((await post(lab, '/api/device/any/request/', { assignee: 'me', duration: 60, image: 'windows' })).status, 404);
    assert.equal((await post(lab, '/api/device/nosuch/request/', { assignee: 'me', duration: 60, image: 'ubuntu' })).status, 404);
    assert.equal((await post(lab, '/api/device/panda-0002/request/', { assignee: 'me', duration: 60, image: 'ubuntu' })).status, 409);
    assert.equal((await post(lab, '/api/device/any/request/', { assignee: 'me', duration: 'long', image: 'ubuntu' })).status, 400);
  });
});
