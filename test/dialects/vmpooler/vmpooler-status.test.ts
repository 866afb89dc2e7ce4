import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { vmpoolerDialect } from '../../../src/dialects/vmpooler/vmpooler-dialect.js';
import { driveSecondStages } from '../../support/second-stage.js';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';
import { waitFor } from '../../support/wait-for.js';

type Json = Record<string, unknown>;

async function api(lab: TestLab, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${lab.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

/** Noon, 1 January 2030 (UTC) when the lab starts; the clock runs on from there, and tests may jump it. */
const START_MS = Date.UTC(2030, 0, 1, 12);
const MINUTE_MS = 60_000;

const POOLS = [
  { name: 'ubuntu-x86_64', alias: ['ubuntu'], image: 'ubuntu', size: 2, reimageConcurrency: 2 },
  // No device has this hardware type: a pool with a size that stays empty.
  { name: 'ghost', image: 'ubuntu', size: 1, hardwareType: 'none-such' },
];

function clock() {
  const offset = START_MS - Date.now();
  let jumpMs = 0;
  return { nowMs: () => Date.now() + offset + jumpMs, jump: (ms: number) => void (jumpMs += ms) };
}

describe('vmpooler status, summary, poolstat, totalrunning, on demand (fake hardware)', () => {
  let lab: TestLab;
  let stopStages: () => void;
  const time = clock();
  const part = () => lab.labpool.part(vmpoolerDialect);
  const readyOf = (pool: string) => part().lab.context.pools.queues(pool).ready.length;

  before(async () => {
    lab = await startTestLab(createTestInventory(8), { nowMs: time.nowMs, config: { vmpooler: { pools: POOLS, maxOndemandInstancesPerRequest: 3, domain: 'example.org' } } });
    stopStages = driveSecondStages(lab.labpool);
    await waitFor(() => readyOf('ubuntu-x86_64') === 2);
  });
  after(async () => {
    stopStages();
    await lab.labpool.stop();
  });

  it('GET /status: every section, live; status.ok false naming the sized pool with nothing ready', async () => {
    await waitFor(() => part().summary.day('2030-01-01').clone.count >= 2);
    const { status, body } = await api(lab, 'GET', '/api/v1/status');
    assert.equal(status, 200);
    assert.deepEqual(body.capacity, { current: 2, total: 3, percent: 66.7 });
    assert.deepEqual(body.queue, { pending: 0, cloning: 0, booting: 0, ready: 2, running: 0, completed: 0, total: 2 });
    assert.deepEqual(body.status, { ok: false, message: 'Found 1 empty pool.', empty: ['ghost'] });
    const clone = body.clone as { duration: { average: number; min: number; max: number }; count: { total: number } };
    assert.ok(clone.count.total >= 2);
    assert.ok(clone.duration.min <= clone.duration.average && clone.duration.average <= clone.duration.max);
    assert.ok((body.boot as { count: { total: number } }).count.total >= 2, 'the fake devices go through verifying');
    const pools = body.pools as Record<string, Json>;
    assert.deepEqual({ ...pools['ubuntu-x86_64'], lastBoot: undefined }, { ready: 2, running: 0, pending: 0, max: 2, alias: ['ubuntu'], lastBoot: undefined });
    assert.match(String(pools['ubuntu-x86_64']!.lastBoot), /^2030-01-01T/);
    assert.deepEqual(pools.ghost, { ready: 0, running: 0, pending: 0, max: 1, alias: [] });
    assert.deepEqual(Object.keys(body).sort(), ['boot', 'capacity', 'clone', 'pools', 'queue', 'status']);
  });

  it('GET /status?view=…: only the sections asked for, and always status (v1 and v3)', async () => {
    for (const version of ['v1', 'v3']) {
      const { body } = await api(lab, 'GET', `/api/${version}/status?view=capacity,boot`);
      assert.deepEqual(Object.keys(body).sort(), ['boot', 'capacity', 'status']);
    }
    assert.deepEqual(Object.keys((await api(lab, 'GET', '/api/v3/status/?view=nothing')).body), ['status']);
  });

  it('GET /poolstat and /totalrunning follow checkouts live', async () => {
    const stat = await api(lab, 'GET', '/api/v1/poolstat?pool=ubuntu-x86_64,nope,ghost');
    assert.deepEqual(stat, { status: 200, body: { pools: { 'ubuntu-x86_64': { ready: 2, max: 2, alias: ['ubuntu'] }, ghost: { ready: 0, max: 1, alias: [] } } } });
    assert.deepEqual(await api(lab, 'GET', '/api/v3/poolstat'), { status: 200, body: { pools: {} } });
    assert.deepEqual(await api(lab, 'GET', '/api/v1/totalrunning'), { status: 200, body: { running: 0 } });

    const checkout = await api(lab, 'POST', '/api/v1/vm/ubuntu');
    assert.equal(checkout.status, 200);
    const host = (checkout.body.ubuntu as { hostname: string }).hostname;
    assert.deepEqual((await api(lab, 'GET', '/api/v3/totalrunning')).body, { running: 1 });
    assert.equal(((await api(lab, 'GET', '/api/v1/status?view=queue')).body.queue as Json).running, 1);
    // A tag, as PUT /vm/<host> records it, counts in the summary.
    const vm = part().lab.context.pools.vmOnDevice(host)!;
    await part().lab.context.kinds.vms.ask(vm.id!, { type: 'Tag', tags: { department: 'qa' }, nowMs: time.nowMs() });
    await waitFor(() => part().summary.day('2030-01-01').tags.get('department')?.get('qa') === 1);
    assert.deepEqual((await api(lab, 'DELETE', `/api/v1/vm/${host}`)).body, { ok: true });
    assert.deepEqual((await api(lab, 'GET', '/api/v1/totalrunning')).body, { running: 0 });
    await waitFor(() => readyOf('ubuntu-x86_64') === 2);
  });

  it('GET /summary: today by default, overall and daily; a range lists every day', async () => {
    const today = await api(lab, 'GET', '/api/v1/summary');
    assert.equal(today.status, 200);
    const daily = today.body.daily as Json[];
    assert.deepEqual(
      daily.map((day) => day.date),
      ['2030-01-01'],
    );
    const clone = today.body.clone as { duration: Json; count: Json };
    assert.deepEqual(Object.keys(clone.duration).sort(), ['average', 'max', 'min', 'total']);
    assert.deepEqual(Object.keys(clone.count).sort(), ['average', 'max', 'min', 'total']);
    assert.ok((clone.count.total as number) >= 2);
    assert.deepEqual(today.body.tag, { department: { qa: 1, total: 1 } });

    const range = await api(lab, 'GET', '/api/v3/summary?from=2029-12-31&to=2030-01-01');
    const days = range.body.daily as Json[];
    assert.deepEqual(
      days.map((day) => day.date),
      ['2029-12-31', '2030-01-01'],
    );
    assert.deepEqual(days[0], {
      date: '2029-12-31',
      boot: { duration: { average: 0, min: 0, max: 0, total: 0 }, count: { total: 0 } },
      clone: { duration: { average: 0, min: 0, max: 0, total: 0 }, count: { total: 0 } },
      tag: {},
    });
    assert.equal((range.body.clone as { count: Json }).count.min, 0, 'a day without clones counts as 0');
  });

  it('GET /summary/<section>[/<key>]: that part only; 404 for an unknown section', async () => {
    const boot = await api(lab, 'GET', '/api/v1/summary/boot');
    assert.deepEqual(Object.keys(boot.body).sort(), ['boot', 'daily']);
    assert.deepEqual(Object.keys((boot.body.daily as Json[])[0]!).sort(), ['boot', 'date']);
    const count = await api(lab, 'GET', '/api/v1/summary/clone/count/');
    assert.deepEqual(Object.keys(count.body.clone as Json), ['count']);
    const tag = await api(lab, 'GET', '/api/v3/summary/tag/department');
    assert.deepEqual(tag.body.tag, { department: { qa: 1, total: 1 } });
    assert.deepEqual((tag.body.daily as Json[])[0], { date: '2030-01-01', tag: { department: { qa: 1, total: 1 } } });
    assert.deepEqual(await api(lab, 'GET', '/api/v1/summary/nope'), { status: 404, body: { ok: false } });
    assert.deepEqual(await api(lab, 'GET', '/api/v1/summary/boot/nope'), { status: 404, body: { ok: false } });
  });

  it('GET /summary answers 400 {ok:false} to a bad date or from after to', async () => {
    for (const query of ['from=2030-13-01', 'to=yesterday', 'from=2030-1-1', 'from=2030-01-02&to=2030-01-01', 'from=1900-01-01&to=2030-01-01']) {
      const { status, body } = await api(lab, 'GET', `/api/v1/summary?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.ok, false, query);
    }
    assert.equal((await api(lab, 'GET', '/api/v1/summary/tag?from=bad')).status, 400);
  });

  it('POST /ondemandvm: 201 with a request id, then 202 pending until filled, then 200 with host names', async () => {
    const created = await api(lab, 'POST', '/api/v1/ondemandvm', { ubuntu: '3' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.ok, true);
    assert.equal(created.body.domain, 'example.org');
    const id = created.body.request_id as string;
    assert.match(id, /^[0-9a-f-]{36}$/);
    // Two are ready, the third comes when the pool has imaged another device.
    let answer = await api(lab, 'GET', `/api/v1/ondemandvm/${id}`);
    if (answer.status === 202) {
      assert.deepEqual(Object.keys(answer.body).sort(), ['ok', 'ready', 'request_id', 'ubuntu']);
      assert.equal(answer.body.ready, false);
      const counts = answer.body.ubuntu as { ready: string; pending: string };
      assert.equal(Number(counts.ready) + Number(counts.pending), 3);
      assert.equal(typeof counts.ready, 'string');
    }
    await waitFor(async () => (answer = await api(lab, 'GET', `/api/v1/ondemandvm/${id}`)).status === 200);
    assert.equal(answer.body.ready, true);
    assert.equal(answer.body.domain, 'example.org');
    const hosts = (answer.body.ubuntu as { hostname: string[] }).hostname;
    assert.equal(hosts.length, 3);
    assert.equal(new Set(hosts).size, 3);
    assert.deepEqual((await api(lab, 'GET', '/api/v1/totalrunning')).body, { running: 3 });
    const v3 = await api(lab, 'GET', `/api/v3/ondemandvm/${id}`);
    assert.deepEqual(
      (v3.body.ubuntu as { hostname: string[] }).hostname,
      hosts.map((host) => `${host}.lab`),
    );
    assert.equal(v3.body.domain, undefined);
    // Each host is a normal checkout.
    assert.equal(((await api(lab, 'GET', `/api/v1/vm/${hosts[0]}`)).body[hosts[0]!] as Json).state, 'running');

    assert.deepEqual(await api(lab, 'DELETE', `/api/v1/ondemandvm/${id}`), { status: 200, body: { ok: true } });
    assert.deepEqual((await api(lab, 'GET', '/api/v1/totalrunning')).body, { running: 0 });
    const deleted = await api(lab, 'GET', `/api/v1/ondemandvm/${id}`);
    assert.deepEqual(deleted, { status: 200, body: { ok: true, request_id: id, ready: false, message: 'The request has been deleted' } });
    assert.equal((await api(lab, 'DELETE', `/api/v1/ondemandvm/${id}`)).status, 200, 'a second delete says it was deleted');
    await waitFor(() => readyOf('ubuntu-x86_64') === 2);
  });

  it('POST /ondemandvm/<a+a>: the path form, with the name as written', async () => {
    const created = await api(lab, 'POST', '/api/v3/ondemandvm/ubuntu-x86_64+ubuntu-x86_64');
    assert.equal(created.status, 201);
    assert.equal(created.body.domain, undefined, 'v3 has no top-level domain');
    const id = created.body.request_id as string;
    let answer = await api(lab, 'GET', `/api/v3/ondemandvm/${id}`);
    await waitFor(async () => (answer = await api(lab, 'GET', `/api/v3/ondemandvm/${id}`)).status === 200);
    assert.equal((answer.body['ubuntu-x86_64'] as { hostname: string[] }).hostname.length, 2);
    assert.equal((await api(lab, 'DELETE', `/api/v3/ondemandvm/${id}`)).status, 200);
    assert.deepEqual((await api(lab, 'GET', '/api/v1/totalrunning')).body, { running: 0 });
  });

  it('POST /ondemandvm refuses: 404 bad_templates, 403 over the maximum, 409 a known id, 400 bad JSON', async () => {
    assert.deepEqual(await api(lab, 'POST', '/api/v1/ondemandvm', { ubuntu: '1', nope: '1', 'bad name!': 2 }), { status: 404, body: { ok: false, bad_templates: ['nope', 'bad name!'] } });
    const over = await api(lab, 'POST', '/api/v1/ondemandvm', { ubuntu: 4 });
    assert.equal(over.status, 403);
    assert.equal(over.body.ok, false);
    const first = await api(lab, 'POST', '/api/v1/ondemandvm', { ubuntu: '1', request_id: 'mine-1' });
    assert.deepEqual(first.body, { ok: true, request_id: 'mine-1', domain: 'example.org' });
    const again = await api(lab, 'POST', '/api/v3/ondemandvm', { ghost: '1', request_id: 'mine-1' });
    assert.equal(again.status, 409);
    assert.equal(again.body.ok, false);
    for (const body of ['not json', '[1]', '{"ubuntu": "x"}', '{"ubuntu": 0}', '{}', '{"ubuntu": 1, "request_id": "bad id!"}']) {
      const { status, body: answer } = await api(lab, 'POST', '/api/v1/ondemandvm', body);
      assert.equal(status, 400, body);
      assert.equal(answer.ok, false, body);
    }
    assert.deepEqual(await api(lab, 'GET', '/api/v1/ondemandvm/no-such-id'), { status: 404, body: { ok: false, message: "no request found for request_id 'no-such-id'" } });
    assert.equal((await api(lab, 'DELETE', '/api/v1/ondemandvm/no-such-id')).status, 404);
    await waitFor(async () => (await api(lab, 'GET', '/api/v1/ondemandvm/mine-1')).status === 200);
    assert.equal((await api(lab, 'DELETE', '/api/v1/ondemandvm/mine-1')).status, 200);
  });

  it('/metrics: queue gauges per pool and the checkout histogram', async () => {
    await waitFor(() => readyOf('ubuntu-x86_64') === 2);
    const text = await (await fetch(`${lab.url}/metrics`)).text();
    assert.match(text, /labpool_vmpooler_pool_devices\{pool="ubuntu-x86_64",queue="ready"\} 2/);
    assert.match(text, /labpool_vmpooler_pool_devices\{pool="ghost",queue="ready"\} 0/);
    assert.match(text, /labpool_vmpooler_checkout_seconds_count\{outcome="ok"\} 1/);
  });

  // Last: it moves the clock on.
  it('an on-demand request unfilled at its deadline fails, gives back what it took, and says so', async () => {
    const created = await api(lab, 'POST', '/api/v1/ondemandvm', { ghost: '1', ubuntu: '1' });
    const id = created.body.request_id as string;
    await waitFor(() => part().lab.context.pools.queues('ubuntu-x86_64').running.size === 1);
    // The request records the host it took after the checkout itself: on a busy machine a moment later.
    let pending = await api(lab, 'GET', `/api/v1/ondemandvm/${id}`);
    await waitFor(async () => (pending = await api(lab, 'GET', `/api/v1/ondemandvm/${id}`)).body.ubuntu !== undefined && (pending.body.ubuntu as Json).ready === '1');
    assert.deepEqual(pending, { status: 202, body: { ok: true, request_id: id, ready: false, ghost: { ready: '0', pending: '1' }, ubuntu: { ready: '1', pending: '0' } } });
    time.jump(5 * MINUTE_MS);
    const failed = await api(lab, 'GET', `/api/v1/ondemandvm/${id}`);
    assert.equal(failed.status, 200);
    assert.equal(failed.body.ready, false);
    assert.match(String(failed.body.message), /failed .* 5 minutes/);
    await waitFor(() => part().lab.context.pools.queues('ubuntu-x86_64').running.size === 0);
    // The returned device is imaged again before the lab stops.
    await waitFor(() => readyOf('ubuntu-x86_64') === 2);
  });
});

describe('vmpooler on demand with auth on', () => {
  let lab: TestLab;
  let stopStages: () => void;
  let token: string;

  before(async () => {
    lab = await startTestLab(createTestInventory(4), {
      config: {
        vmpooler: { pools: [{ name: 'ubuntu', image: 'ubuntu', size: 1 }] },
        auth: { users: [{ name: 'alice', hash: bcrypt.hashSync('secret', 4) }], usersFile: null, tokenUseIntervalMs: 60_000 },
      },
    });
    stopStages = driveSecondStages(lab.labpool);
    token = await lab.labpool.identity.tokens.create({ name: 'alice', roles: ['user'] });
  });
  after(async () => {
    stopStages();
    await lab.labpool.stop();
  });

  it('needs a valid token to ask and to delete (401 {ok:false}); the hosts are the token user’s', async () => {
    const none = await api(lab, 'POST', '/api/v1/ondemandvm', { ubuntu: 1 });
    assert.deepEqual(none, { status: 401, body: { ok: false } });
    assert.deepEqual(await api(lab, 'POST', '/api/v1/ondemandvm', { ubuntu: 1 }, { 'X-AUTH-TOKEN': 'wrong' }), { status: 401, body: { ok: false } });
    const created = await api(lab, 'POST', '/api/v1/ondemandvm', { ubuntu: 1 }, { 'X-AUTH-TOKEN': token });
    assert.equal(created.status, 201);
    const id = created.body.request_id as string;
    let answer = await api(lab, 'GET', `/api/v1/ondemandvm/${id}`);
    await waitFor(async () => (answer = await api(lab, 'GET', `/api/v1/ondemandvm/${id}`)).status === 200);
    const host = (answer.body.ubuntu as { hostname: string[] }).hostname[0]!;
    const vm = (await api(lab, 'GET', `/api/v1/vm/${host}`)).body[host] as { tags: Json };
    assert.equal(vm.tags.user, 'alice');
    assert.deepEqual(await api(lab, 'DELETE', `/api/v1/ondemandvm/${id}`), { status: 401, body: { ok: false } });
    assert.deepEqual(await api(lab, 'DELETE', `/api/v1/ondemandvm/${id}`, undefined, { 'X-AUTH-TOKEN': token }), { status: 200, body: { ok: true } });
    const summary = await api(lab, 'GET', '/api/v1/summary/tag/user');
    assert.deepEqual((summary.body.tag as Json).user, { alice: 1, total: 1 });
    await waitFor(() => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues('ubuntu').ready.length === 1);
  });
});

describe('vmpooler on demand from a pool of size 0', () => {
  let lab: TestLab;
  let stopStages: () => void;
  const queues = () => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues('centos');

  before(async () => {
    lab = await startTestLab(createTestInventory(4), { config: { vmpooler: { pools: [{ name: 'centos', alias: ['el'], image: 'ubuntu', size: 0 }] } } });
    stopStages = driveSecondStages(lab.labpool);
  });
  after(async () => {
    stopStages();
    await lab.labpool.stop();
  });

  it('builds the hosts a request asks for, hands them over, and lets the devices go after', async () => {
    assert.equal(queues().members.size, 0);
    const created = await api(lab, 'POST', '/api/v3/ondemandvm', { el: 2 });
    assert.equal(created.status, 201);
    const id = created.body.request_id as string;
    let answer = await api(lab, 'GET', `/api/v3/ondemandvm/${id}`);
    await waitFor(async () => (answer = await api(lab, 'GET', `/api/v3/ondemandvm/${id}`)).status === 200);
    assert.equal((answer.body.el as { hostname: string[] }).hostname.length, 2);
    assert.equal(queues().running.size, 2);
    // A device the pool took while the request was being served (the read models a moment behind) goes again.
    await waitFor(() => queues().members.size === 0);
    assert.equal((await api(lab, 'DELETE', `/api/v3/ondemandvm/${id}`)).status, 200);
    // Back from their VMs, the devices leave a pool of size 0.
    await waitFor(() => queues().members.size === 0 && queues().running.size === 0);
  });
});
