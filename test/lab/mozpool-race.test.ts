import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';

describe('concurrent requests for any device', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab(createTestInventory(50));
    // Keep every assigned device in pxe_power_cycling: the race is about assignment only.
    for (let i = 1; i <= 50; i++) lab.fake.power.set(`panda-${String(i).padStart(4, '0')}`, 'hang');
  });
  after(() => lab.labpool.stop());

  it('gives 50 free devices to exactly 50 of 200 simultaneous requests, each device once; the rest get 409', async () => {
    const body = JSON.stringify({ assignee: 'racer', duration: 600, image: 'ubuntu' });
    const responses = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const response = await fetch(`${lab.url}/api/device/any/request/`, { method: 'POST', body });
        return { status: response.status, body: (await response.json()) as { request?: { id: number; assigned_device: string }; error?: string } };
      }),
    );
    const winners = responses.filter((response) => response.status === 200);
    const losers = responses.filter((response) => response.status !== 200);
    assert.equal(winners.length, 50);
    assert.ok(losers.every((response) => response.status === 409 && typeof response.body.error === 'string'));
    const devices = winners.map((response) => response.body.request!.assigned_device);
    assert.equal(new Set(devices).size, 50);
    const ids = winners.map((response) => response.body.request!.id);
    assert.equal(new Set(ids).size, 50);
    const details = (await (await fetch(`${lab.url}/api/device/list/?details=1`)).json()) as { devices: { name: string; request_id: number | null }[] };
    for (const winner of winners) {
      const device = details.devices.find((d) => d.name === winner.body.request!.assigned_device);
      assert.equal(device?.request_id, winner.body.request!.id);
    }
    const open = (await (await fetch(`${lab.url}/api/request/list/`)).json()) as { requests: unknown[] };
    assert.equal(open.requests.length, 50);
  });
});
