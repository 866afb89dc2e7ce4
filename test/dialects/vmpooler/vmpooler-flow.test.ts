import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { vmpoolerDialect } from '../../../src/dialects/vmpooler/vmpooler-dialect.js';
import { driveSecondStages } from '../../support/second-stage.js';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';
import { waitFor } from '../../support/wait-for.js';

type Json = Record<string, unknown>;

async function api(lab: TestLab, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${lab.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

describe('vmpooler on a lab with fake hardware', () => {
  let lab: TestLab;
  let stopStages: () => void;
  const readyOf = (pool: string) => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues(pool).ready.length;

  before(async () => {
    lab = await startTestLab(createTestInventory(6), {
      config: { vmpooler: { pools: [{ name: 'ubuntu-x86_64', alias: ['ubuntu'], image: 'ubuntu', size: 2, reimageConcurrency: 2 }] } },
    });
    stopStages = driveSecondStages(lab.labpool);
  });
  after(async () => {
    stopStages();
    await lab.labpool.stop();
  });

  it('fills the pool: size devices imaged with its image, held by the pool', async () => {
    await waitFor(() => readyOf('ubuntu-x86_64') === 2);
    const list = await api(lab, 'GET', '/api/device/list/?details=1');
    const imaged = (list.body.devices as Json[]).filter((device) => device.image === 'ubuntu');
    assert.equal(imaged.length, 2);
    assert.deepEqual(
      imaged.map((device) => [device.request_id, device.held_by]),
      [
        [null, 'pool ubuntu-x86_64'],
        [null, 'pool ubuntu-x86_64'],
      ],
      'a pool is no MozPool request, and MozPool says who holds the device',
    );
    const free = (list.body.devices as Json[]).find((device) => device.image !== 'ubuntu');
    assert.equal(free !== undefined && 'held_by' in free, false, 'a free device has no held_by: MozPool shapes unchanged');
    assert.deepEqual(await api(lab, 'GET', '/api/v1/vm'), { status: 200, body: ['ubuntu-x86_64'] as unknown as Json });
  });

  it('checks out through an alias, hands a device held by nobody else, and refills', async () => {
    const ready = [...lab.labpool.part(vmpoolerDialect).lab.context.pools.queues('ubuntu-x86_64').ready];
    const checkout = await api(lab, 'POST', '/api/v1/vm/ubuntu');
    assert.equal(checkout.status, 200, JSON.stringify(checkout.body));
    const hostname = (checkout.body.ubuntu as { hostname: string }).hostname;
    assert.ok(ready.includes(hostname), `${hostname} was one of the ready ones`);
    assert.equal(checkout.body.domain, 'lab');
    assert.equal(checkout.body.ok, true);

    const info = await api(lab, 'GET', `/api/v1/vm/${hostname}`);
    assert.equal(info.status, 200);
    const vm = info.body[hostname] as Json;
    assert.equal(vm.state, 'running');
    assert.equal(vm.template, 'ubuntu-x86_64');
    assert.equal(vm.lifetime, 24);
    assert.equal((await api(lab, 'GET', `/api/v3/vm/${hostname}.lab`)).body[`${hostname}.lab`] !== undefined, true, 'v3 finds it by FQDN');

    // One truth: MozPool sees who holds it, and cannot lease it.
    const status = await api(lab, 'GET', `/api/device/${hostname}/status/`);
    assert.match(String(status.body.held_by), /^vm [a-z0-9]{15}$/);
    const lease = await api(lab, 'POST', `/api/device/${hostname}/request/`, { assignee: 'x', duration: 60, image: 'ubuntu' });
    assert.equal(lease.status, 409, JSON.stringify(lease.body));

    await waitFor(() => readyOf('ubuntu-x86_64') === 2);

    assert.deepEqual((await api(lab, 'DELETE', `/api/v1/vm/${hostname}`)).body, { ok: true });
    assert.equal((await api(lab, 'DELETE', `/api/v1/vm/${hostname}`)).status, 404, 'deleted once');
    // Back in its pool, imaged again and ready; the pool keeps its size by letting another ready one go.
    await waitFor(() => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues('ubuntu-x86_64').ready.includes(hostname));
    await waitFor(() => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues('ubuntu-x86_64').members.size === 2);
  });

  it('gives an expired host back to its pool, which images it again', async () => {
    await waitFor(() => readyOf('ubuntu-x86_64') === 2);
    const checkout = await api(lab, 'POST', '/api/v3/vm', { 'ubuntu-x86_64': 1 });
    const fqdn = (checkout.body['ubuntu-x86_64'] as { hostname: string }).hostname;
    assert.match(fqdn, /\.lab$/, 'v3 answers FQDNs');
    const part = lab.labpool.part(vmpoolerDialect).lab;
    const device = fqdn.replace(/\.lab$/, '');
    const vm = part.context.pools.vmOnDevice(device);
    assert.ok(vm?.id != null);
    // What the VM's deadline timer sends when its lifetime is over.
    const expiry = { name: 'expiry', atMs: vm.checkedOutAtMs + vm.lifetimeH * 3_600_000 };
    const outcome = await part.context.kinds.vms.ask(vm.id, { type: 'Timeout', deadline: expiry, nowMs: expiry.atMs }, { actor: 'test' });
    assert.deepEqual(outcome.ok && outcome.events.map((event) => event.type), ['VmDeleted']);
    await waitFor(() => part.context.pools.queues('ubuntu-x86_64').ready.includes(device));
    assert.equal(((await api(lab, 'GET', `/api/v3/vm/${fqdn}`)).body[fqdn] as Json).state, 'ready');
    assert.equal(part.context.pools.vmOnDevice(device), undefined);
  });

  it('answers 503 {ok:false} and leaves nothing checked out when a multi-pool checkout falls short', async () => {
    await waitFor(() => readyOf('ubuntu-x86_64') === 2);
    const before = [...lab.labpool.part(vmpoolerDialect).lab.context.pools.queues('ubuntu-x86_64').ready].sort();
    const short = await api(lab, 'POST', '/api/v1/vm', { ubuntu: '3' });
    assert.deepEqual(short, { status: 503, body: { ok: false } });
    assert.deepEqual([...lab.labpool.part(vmpoolerDialect).lab.context.pools.queues('ubuntu-x86_64').ready].sort(), before);
    assert.equal(lab.labpool.part(vmpoolerDialect).lab.context.pools.queues('ubuntu-x86_64').running.size, 0);
  });

  it('answers 404 {ok:false} to an unknown pool, an unknown host and any other route', async () => {
    assert.deepEqual(await api(lab, 'POST', '/api/v1/vm/nope'), { status: 404, body: { ok: false } });
    assert.deepEqual(await api(lab, 'GET', '/api/v3/vm/nope'), { status: 404, body: { ok: false } });
    assert.deepEqual(await api(lab, 'PATCH', '/api/v1/vm'), { status: 404, body: { ok: false } });
    assert.deepEqual(await api(lab, 'GET', '/api/v1/nothing/here'), { status: 404, body: { ok: false } });
  });

  it('answers 400 with an error to a bad body', async () => {
    for (const body of ['[1]', '{"ubuntu": "0"}', '{"bad name!": "1"}', 'not json']) {
      const response = await fetch(`${lab.url}/api/v1/vm`, { method: 'POST', body });
      assert.equal(response.status, 400, body);
      const parsed = (await response.json()) as Json;
      assert.equal(parsed.ok, false);
      assert.equal(typeof parsed.error, 'string');
    }
  });
});
