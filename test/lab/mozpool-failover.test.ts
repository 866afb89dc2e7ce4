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
    lab = await startTestLab(createTestInventory(3), {
      config: { lifeguardLimits: { pxe_power_cycling: { timeoutMs: 100, maxCount: 2 } }, mozpoolLimits: { findingTimeoutMs: 200 } },
    });
  });
  after(() => lab.labpool.stop());

  it('fails the device under a named request: the request fails with it', async () => {
    lab.fake.power.set('panda-0001', 'fail');
    const named = await post(lab, '/api/device/panda-0001/request/', { assignee: 'me', duration: 600, image: 'ubuntu' });
    assert.equal(named.status, 200);
    await waitFor(async () => (await get(lab, '/api/device/panda-0001/state/')).state === 'failed_pxe_power_cycling');
    await waitFor(async () => (await get(lab, `/api/request/${named.body.request.id}/status/`)).state === 'failed_bad_device');
    const device = (await get(lab, '/api/device/list/?details=1')).devices.find((d: any) => d.name === 'panda-0001');
    assert.equal(device.request_id, null, 'the failed request let go of its device');
  });

  it('moves an any request from a failing device to another one', async () => {
    // panda-0001 failed above; hold panda-0003 (booting, waiting for its second stage) so that panda-0002 is the only free device.
    const holder = await post(lab, '/api/device/panda-0003/request/', { assignee: 'holder', duration: 600, image: 'ubuntu' });
    assert.equal(holder.status, 200);
    await waitFor(async () => (await get(lab, '/api/device/panda-0003/state/')).state === 'pxe_booting');
    lab.fake.power.set('panda-0002', 'fail');
    const anyRequest = await post(lab, '/api/device/any/request/', { assignee: 'you', duration: 600, image: 'ubuntu' });
    assert.equal(anyRequest.status, 200);
    assert.equal(anyRequest.body.request.assigned_device, 'panda-0002');
    const id = anyRequest.body.request.id;
    await waitFor(async () => (await get(lab, '/api/device/panda-0002/state/')).state === 'failed_pxe_power_cycling');
    await waitFor(async () => (await get(lab, `/api/request/${id}/status/`)).state === 'finding_device');
    assert.equal((await post(lab, `/api/request/${holder.body.request.id}/return/`)).status, 204);
    assert.equal((await post(lab, '/api/device/panda-0003/state-change/pxe_booting/to/ready/')).status, 200);
    await waitFor(async () => (await get(lab, `/api/request/${id}/details/`)).assigned_device === 'panda-0003');
    const log = (await get(lab, `/api/request/${id}/log/`)).log.map((entry: any) => entry.message).join('\n');
    assert.match(log, /panda-0002 failed/);
  });

  it('answers 404 for an unknown image or device and 409 for a busy named device', async () => {
    assert.equal((await post(lab, '/api/device/any/request/', { assignee: 'me', duration: 60, image: 'windows' })).status, 404);
    assert.equal((await post(lab, '/api/device/nosuch/request/', { assignee: 'me', duration: 60, image: 'ubuntu' })).status, 404);
    assert.equal((await post(lab, '/api/device/panda-0003/request/', { assignee: 'me', duration: 60, image: 'ubuntu' })).status, 409);
    assert.equal((await post(lab, '/api/device/any/request/', { assignee: 'me', duration: 'long', image: 'ubuntu' })).status, 400);
  });
});
