import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncInventory } from '../../src/lab/inventory-sync.js';
import { startLabpool, type RunningLabpool } from '../../src/labpool.js';
import { createFakeHardware } from '../support/fake-hardware.js';
import { createTestConfig, createTestInventory, startTestLab, type TestLab } from '../support/lab-harness.js';
import { waitFor } from '../support/wait-for.js';
import { mozpoolDialect } from '../../src/dialects/mozpool/mozpool-dialect.js';

type Answer = { status: number; body: any; headers: Headers };

async function call(lab: TestLab, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${lab.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Raw text answers (the boot config) stay text.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Every MozPool route against the real lab (actors, store, projections), one walk-through. */
describe('MozPool routes against the real lab', () => {
  let lab: TestLab;
  let otherServer: RunningLabpool;
  let dir: string;
  before(async () => {
    const inventory = createTestInventory(2);
    const remote = { ...inventory.devices[1]!, name: 'remote-0001', macAddress: '02:00:00:00:99:01', imagingServer: 'lab2.example:8010' };
    const lab2 = { ...inventory, devices: [...inventory.devices, remote] };
    // Two servers on one store file: each runs only its own devices; both see all of them.
    dir = mkdtempSync(join(tmpdir(), 'labpool-routes-'));
    const store = { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' } as const;
    lab = await startTestLab(lab2, { ready: false, config: { store } });
    const otherFake = createFakeHardware();
    otherFake.power.set('remote-0001', 'hang');
    otherServer = await startLabpool(createTestConfig({ serverId: 'lab2.example:8010', store }), { hardware: otherFake.hardware });
    await syncInventory(otherServer.lab, lab2, { force: false });
    for (const name of ['panda-0001', 'panda-0002']) {
      await waitFor(async () => (await call(lab, 'GET', `/api/device/${name}/state/`)).body.state === 'pxe_power_cycling');
      assert.equal((await call(lab, 'POST', `/api/device/${name}/state-change/pxe_power_cycling/to/ready/`)).status, 200);
      lab.fake.power.delete(name);
    }
  });
  after(async () => {
    await lab.labpool.stop();
    await otherServer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the inventory reads', async () => {
    await waitFor(async () => (await call(lab, 'GET', '/api/device/list')).body.devices.length === 3);
    assert.deepEqual((await call(lab, 'GET', '/api/device/list')).body, { devices: ['panda-0001', 'panda-0002', 'remote-0001'] });
    const images = (await call(lab, 'GET', '/api/image/list/')).body.images.map((image: { name: string }) => image.name);
    assert.deepEqual(images, ['android', 'ubuntu']);
    assert.deepEqual((await call(lab, 'GET', '/api/environment/list/')).body, { environments: ['any'] });
    assert.deepEqual((await call(lab, 'GET', '/api/pxe_configs/list/')).body.pxe_configs, ['panda-android', 'panda-self-test', 'panda-ubuntu']);
    const details = (await call(lab, 'GET', '/api/bmm/pxe_config/panda-ubuntu/details/')).body.details;
    assert.equal(details.contents, details.content);
    assert.match(details.contents, /%IPADDRESS%/);
  });

  it('runs LifeGuard and BMM operations through the device actors', async () => {
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/set-comments/', { comments: 'flaky usb' })).status, 200);
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/set-environment/', { environment: 'staging' })).status, 200);
    const view = (await call(lab, 'GET', '/api/device/list/?details=1')).body.devices.find((d: { name: string }) => d.name === 'panda-0002');
    assert.equal(view.comments, 'flaky usb');
    assert.equal(view.environment, 'staging');
    assert.deepEqual((await call(lab, 'GET', '/api/environment/list/')).body, { environments: ['any', 'staging'] });
    assert.deepEqual((await call(lab, 'GET', '/api/device/panda-0002/ping/')).body, { success: true });
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/power-cycle/', { pxe_config: 'panda-ubuntu', boot_config: '{"a":1}' })).status, 200);
    await waitFor(() => lab.fake.callsFor('panda-0002').some((c) => c.operation === 'write panda-ubuntu'));
    assert.equal((await call(lab, 'GET', '/api/device/panda-0002/bootconfig/')).body.a, 1);
    assert.deepEqual((await call(lab, 'GET', '/api/device/panda-0002/config/')).body, { config: { a: 1 } });
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/clear-pxe/')).status, 200);
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/power-off/')).status, 200);
    await waitFor(() => lab.fake.callsFor('panda-0002').some((c) => c.operation === 'off'));
    const log = (await call(lab, 'GET', '/api/device/panda-0002/log/?limit=50')).body.log.map((l: { message: string }) => l.message).join('\n');
    assert.match(log, /flaky usb/);
    assert.match(log, /power off/);
    const status = (await call(lab, 'GET', '/api/device/panda-0002/status/')).body;
    assert.equal(status.state, 'ready');
    assert.ok(status.log.length > 0);
  });

  it('forces states only from the named state, in both spellings', async () => {
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/state-change/pxe_booting/to/locked_out/')).status, 409);
    const before = (await call(lab, 'GET', '/api/device/panda-0002/status/')).body;
    assert.equal(before.state, 'ready');
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/setstate/', { old_state: 'ready', new_state: 'locked_out' })).status, 204);
    assert.equal((await call(lab, 'GET', '/api/device/panda-0002/state/')).body.state, 'locked_out');
    // Status answers are kept per device until its next event: this one must not be the one from before.
    const after = (await call(lab, 'GET', '/api/device/panda-0002/status/')).body;
    assert.equal(after.state, 'locked_out');
    assert.equal(after.log.length, before.log.length + 1);
    assert.match(after.log.at(-1).message, /locked_out/);
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/boot/ubuntu/', {})).status, 409);
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/setstate/', { old_state: 'locked_out', new_state: 'ready' })).status, 204);
    const cached = await call(lab, 'GET', '/api/device/panda-0002/state/?cache=1');
    assert.match(cached.headers.get('cache-control') ?? '', /max-age=\d/);
  });

  it('refuses to force a state the LifeGuard machine does not have, naming the ones it has', async () => {
    const refused = await call(lab, 'POST', '/api/device/panda-0002/state-change/ready/to/bogus_state/');
    assert.equal(refused.status, 400);
    assert.match(refused.body.error, /^bogus_state is not a LifeGuard state; valid states: new, ready, .*, ubuntu_downloading, /);
    assert.match(refused.body.error, /self-test_extracting/, 'hidden images have their chain too');
    const setstate = await call(lab, 'POST', '/api/device/panda-0002/setstate/', { old_state: 'ready', new_state: 'windows_downloading' });
    assert.equal(setstate.status, 400);
    // Behind the routes, the device actor refuses too.
    const direct = await lab.labpool.part(mozpoolDialect).lab.commands.forceState('panda-0002', 'ready', 'bogus_state', { actor: 'test' });
    assert.deepEqual(direct, { ok: false, status: 400, message: 'bogus_state is not a LifeGuard state' });
    assert.equal((await call(lab, 'GET', '/api/device/panda-0002/state/')).body.state, 'ready');
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/state-change/ready/to/ubuntu_extracting/')).status, 200);
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/state-change/ubuntu_extracting/to/ready/')).status, 200);
  });

  it('images through LifeGuard boot and bootcomplete', async () => {
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/boot/ubuntu/', { preseed: 'x' })).status, 204);
    await waitFor(async () => (await call(lab, 'GET', '/api/device/panda-0002/state/')).body.state === 'pxe_booting');
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/bootcomplete/')).status, 204);
    await waitFor(() => lab.fake.pxeFiles.get('02:00:00:00:00:02') === undefined);
    assert.equal((await call(lab, 'GET', '/api/device/panda-0002/event/mobile_init_started/')).status, 200);
    assert.equal((await call(lab, 'GET', '/api/device/panda-0002/state/')).body.state, 'mobile_init_started');
  });

  it('takes LifeGuard please events: a self-test through its second stage, and please_image with arguments', async () => {
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/state-change/mobile_init_started/to/ready/')).status, 200);
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/event/please_self_test/')).status, 200);
    await waitFor(async () => (await call(lab, 'GET', '/api/device/panda-0002/state/')).body.state === 'pxe_booting');
    assert.equal(lab.fake.pxeFiles.get('02:00:00:00:00:02'), 'panda-self-test');
    await call(lab, 'POST', '/api/device/panda-0002/event/self_test_running/');
    assert.equal((await call(lab, 'GET', '/api/device/panda-0002/state/')).body.state, 'self_test_running');
    await call(lab, 'POST', '/api/device/panda-0002/event/self_test_ok/');
    assert.equal((await call(lab, 'GET', '/api/device/panda-0002/state/')).body.state, 'ready');
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/event/please_image/', {})).status, 400);
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/event/please_image/', { image: 'windows' })).status, 404);
    const imaging = await call(lab, 'POST', '/api/device/panda-0002/event/please_image/', { image: 'ubuntu', boot_config: { preseed: 'p' } });
    assert.equal(imaging.status, 200);
    await waitFor(async () => (await call(lab, 'GET', '/api/device/panda-0002/state/')).body.state === 'pxe_booting');
    assert.equal(lab.fake.pxeFiles.get('02:00:00:00:00:02'), 'panda-ubuntu');
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/event/please_power_cycle/')).status, 409, 'not accepted mid-boot');
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/state-change/pxe_booting/to/ready/')).status, 200);
  });

  it('leases, renews and returns through the request routes', async () => {
    const created = await call(lab, 'POST', '/api/device/panda-0001/request/', { requester: 'ci@example.com', duration: '600', image: 'android', b2gbase: 'http://b2g/' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const { id, url, boot_config: bootConfig } = created.body.request;
    assert.equal(url, `http://127.0.0.1:8010/api/request/${id}/`);
    assert.deepEqual(JSON.parse(bootConfig), { b2gbase: 'http://b2g/' });
    assert.equal((await call(lab, 'POST', '/api/device/panda-0001/request/', { assignee: 'x', duration: 60, image: 'android', b2gbase: 'y' })).status, 409);
    const listed = (await call(lab, 'GET', '/api/request/list/')).body.requests.find((r: { id: number }) => r.id === id);
    assert.equal(listed.assigned_device, 'panda-0001');
    assert.equal((await call(lab, 'POST', `/api/request/${id}/renew/`, { duration: 7200 })).status, 204);
    const details = (await call(lab, 'GET', `/api/request/${id}/details/`)).body;
    assert.equal(details.request.id, id);
    assert.ok(Date.parse(details.expires) > Date.now() + 7_000_000);
    assert.equal((await call(lab, 'POST', `/api/request/${id}/event/lifeguard_ping/`)).status, 200);
    assert.match(JSON.stringify((await call(lab, 'GET', `/api/request/${id}/log/`)).body.log), /lifeguard_ping/);
    assert.equal((await call(lab, 'POST', `/api/request/${id}/return/`)).status, 204);
    assert.equal((await call(lab, 'GET', `/api/request/${id}/status/`)).body.state, 'closed');
    assert.equal(
      (await call(lab, 'GET', '/api/request/list/')).body.requests.some((r: { id: number }) => r.id === id),
      false,
    );
    assert.equal(
      (await call(lab, 'GET', '/api/request/list/?include_closed=1')).body.requests.some((r: { id: number }) => r.id === id),
      true,
    );
  });

  it('requests in an environment: 404 when no device has it, 409 naming it when none is free', async () => {
    const body = { assignee: 'ci@example.com', duration: 60, image: 'ubuntu' };
    for (const device of ['any', 'panda-0001']) {
      const unknown = await call(lab, 'POST', `/api/device/${device}/request/`, { ...body, environment: 'nowhere' });
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.body, { error: 'environment nowhere not found' });
    }
    await waitFor(async () => (await call(lab, 'GET', '/api/device/panda-0002/state/')).body.state === 'ready');
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/setstate/', { old_state: 'ready', new_state: 'locked_out' })).status, 204);
    const noneFree = await call(lab, 'POST', '/api/device/any/request/', { ...body, environment: 'staging' });
    assert.equal(noneFree.status, 409);
    assert.deepEqual(noneFree.body, { error: 'no free device in environment staging' });
    const elsewhere = await call(lab, 'POST', '/api/device/panda-0001/request/', { ...body, environment: 'staging' });
    assert.equal(elsewhere.status, 409);
    assert.deepEqual(elsewhere.body, { error: 'device panda-0001 is in environment any, not staging' });
    assert.equal((await call(lab, 'POST', '/api/device/panda-0002/setstate/', { old_state: 'locked_out', new_state: 'ready' })).status, 204);
    const created = await call(lab, 'POST', '/api/device/any/request/', { ...body, environment: 'staging' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.request.environment, 'staging');
    const { id } = created.body.request;
    assert.equal((await call(lab, 'GET', `/api/request/${id}/details/`)).body.assigned_device, 'panda-0002');
    assert.equal((await call(lab, 'POST', `/api/request/${id}/return/`)).status, 204);
  });

  it("redirects operations on another server's device to its owner, and answers reads locally", async () => {
    await waitFor(async () => (await call(lab, 'GET', '/api/device/remote-0001/status/')).status === 200);
    const redirected = await call(lab, 'POST', '/api/device/remote-0001/event/mobile_init_started/?x=1');
    assert.equal(redirected.status, 302);
    assert.equal(redirected.headers.get('location'), 'http://lab2.example:8010/api/device/remote-0001/event/mobile_init_started/');
    assert.equal((await call(lab, 'POST', '/api/device/remote-0001/power-off/')).status, 302);
    assert.equal((await call(lab, 'GET', '/api/device/remote-0001/status/')).status, 200);
    const named = await call(lab, 'POST', '/api/device/remote-0001/request/', { assignee: 'me', duration: 60, image: 'ubuntu' });
    assert.equal(named.status, 409);
    assert.match(named.body.error, /managed by lab2\.example:8010/);
    assert.equal(lab.fake.callsFor('remote-0001').length, 0, "this server never touches another server's hardware");
  });
});
