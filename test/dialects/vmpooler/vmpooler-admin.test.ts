import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { vmpoolerDialect } from '../../../src/dialects/vmpooler/vmpooler-dialect.js';
import { hashPassword } from '../../../src/identity/password-hash.js';
import { hashToken } from '../../../src/identity/api-tokens.js';
import { driveSecondStages } from '../../support/second-stage.js';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';
import { waitFor } from '../../support/wait-for.js';

type Json = Record<string, unknown>;
type Reply = { status: number; body: Json; headers: Headers };

const POOL = 'ubuntu-x86_64';
const VMPOOLER_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000$/;

function basic(name: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}` };
}

async function api(lab: TestLab, method: string, path: string, options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${lab.url}${path}`, { method, headers: { 'Content-Type': 'application/json', ...options.headers }, body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json), headers: response.headers };
}

describe('vmpooler admin routes with auth on', () => {
  let lab: TestLab;
  let stopStages: () => void;
  let aliceToken: string;
  let adminToken: string;
  const vmpooler = () => lab.labpool.part(vmpoolerDialect).lab;
  const queues = () => vmpooler().context.pools.queues(POOL);
  const token = (value: string) => ({ 'X-AUTH-TOKEN': value });
  /** Hosts a test checked out, given back after it so the next one finds the pool full. */
  const checkedOut: string[] = [];

  async function checkOut(): Promise<string> {
    await waitFor(() => queues().ready.length > 0);
    const reply = await api(lab, 'POST', `/api/v1/vm/${POOL}`, { headers: token(aliceToken) });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const hostname = (reply.body[POOL] as { hostname: string }).hostname;
    checkedOut.push(hostname);
    return hostname;
  }

  before(async () => {
    const [aliceHash, rootHash] = await Promise.all([hashPassword('alice-pw', 'scrypt'), hashPassword('root-pw', 'scrypt')]);
    lab = await startTestLab(createTestInventory(6), {
      config: {
        auth: {
          users: [
            { name: 'alice', hash: aliceHash, roles: ['user'] },
            { name: 'root', hash: rootHash, roles: ['admin'] },
          ],
          usersFile: null,
          tokenUseIntervalMs: 0,
        },
        vmpooler: {
          pools: [{ name: POOL, alias: ['ubuntu'], image: 'ubuntu', bootConfig: { b2gbase: 'http://example.invalid/b2g' }, size: 2, reimageConcurrency: 2 }],
          experimentalFeatures: true,
          maxLifetimeUpperLimit: 48,
          allowedTags: ['project', 'url', 'user'],
          tagFilter: { url: '^https?://([^/]+)' },
        },
      },
    });
    stopStages = driveSecondStages(lab.labpool);
  });
  afterEach(async () => {
    for (const hostname of checkedOut.splice(0)) await api(lab, 'DELETE', `/api/v1/vm/${hostname}`, { headers: token(aliceToken) });
  });
  after(async () => {
    // Stopping mid-boot would leave the second-stage driver asking a stopped actor system.
    await waitFor(() => queues().ready.length === 2 && queues().members.size === 2);
    stopStages();
    await vmpooler().manager.idle();
    await lab.labpool.stop();
  });

  describe('tokens', () => {
    it('creates a 32-character token for HTTP Basic credentials', async () => {
      const reply = await api(lab, 'POST', '/api/v1/token', { headers: basic('alice', 'alice-pw') });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.ok, true);
      assert.match(String(reply.body.token), /^[a-z0-9]{32}$/);
      aliceToken = String(reply.body.token);
      adminToken = String((await api(lab, 'POST', '/api/v3/token', { headers: basic('root', 'root-pw') })).body.token);
    });

    it('answers 401 {ok:false} with a Basic challenge to missing or wrong credentials', async () => {
      for (const headers of [{}, basic('alice', 'wrong'), basic('nobody', 'x'), { Authorization: 'Basic !!!' }]) {
        for (const [method, path] of [
          ['POST', '/api/v1/token'],
          ['GET', '/api/v3/token'],
          ['DELETE', `/api/v1/token/${aliceToken}`],
        ] as const) {
          const reply = await api(lab, method, path, { headers });
          assert.equal(reply.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
          assert.deepEqual(reply.body, { ok: false });
          assert.match(reply.headers.get('www-authenticate') ?? '', /^Basic/);
        }
      }
    });

    it('lists the user’s tokens by hash with vmpooler’s times', async () => {
      const reply = await api(lab, 'GET', '/api/v1/token', { headers: basic('alice', 'alice-pw') });
      assert.equal(reply.status, 200);
      const hash = hashToken(aliceToken);
      assert.deepEqual(Object.keys(reply.body).sort(), [hash, 'ok'].sort(), 'only alice’s, by hash');
      assert.match(String((reply.body[hash] as Json).created), VMPOOLER_TIME);
    });

    it('describes a token without auth: user, times and its running hosts in each version’s names', async () => {
      const hostname = await checkOut();
      const v1 = await api(lab, 'GET', `/api/v1/token/${aliceToken}`);
      assert.equal(v1.status, 200);
      const info = v1.body[aliceToken] as { user: string; created: string; last: string; vms: { running: string[] } };
      assert.equal(info.user, 'alice');
      assert.match(info.created, VMPOOLER_TIME);
      assert.match(info.last, VMPOOLER_TIME, 'used at checkout');
      assert.deepEqual(info.vms.running, [hostname]);
      const v3 = await api(lab, 'GET', `/api/v3/token/${aliceToken}`);
      assert.deepEqual((v3.body[aliceToken] as typeof info).vms.running, [`${hostname}.lab`]);
      assert.deepEqual((await api(lab, 'DELETE', `/api/v1/vm/${hostname}`, { headers: token(aliceToken) })).body, { ok: true });
      checkedOut.splice(0);
      assert.deepEqual(await api(lab, 'GET', '/api/v1/token/abcdefghijklmnopqrstuvwxyz012345').then((r) => [r.status, r.body]), [404, { ok: false }]);
      assert.deepEqual(await api(lab, 'GET', '/api/v1/token/not-a-token').then((r) => [r.status, r.body]), [404, { ok: false }]);
    });

    it('deletes a token for its owner or an admin only; a deleted token is refused', async () => {
      const second = String((await api(lab, 'POST', '/api/v1/token', { headers: basic('alice', 'alice-pw') })).body.token);
      const third = String((await api(lab, 'POST', '/api/v1/token', { headers: basic('alice', 'alice-pw') })).body.token);
      const rootsOwn = String((await api(lab, 'POST', '/api/v1/token', { headers: basic('root', 'root-pw') })).body.token);
      const notOwner = await api(lab, 'DELETE', `/api/v1/token/${rootsOwn}`, { headers: basic('alice', 'alice-pw') });
      assert.deepEqual([notOwner.status, notOwner.body], [401, { ok: false }]);
      assert.deepEqual((await api(lab, 'DELETE', `/api/v1/token/${second}`, { headers: basic('alice', 'alice-pw') })).body, { ok: true });
      assert.deepEqual((await api(lab, 'DELETE', `/api/v3/token/${third}`, { headers: basic('root', 'root-pw') })).body, { ok: true });
      assert.equal((await api(lab, 'DELETE', `/api/v1/token/${second}`, { headers: basic('alice', 'alice-pw') })).status, 404, 'deleted once');
      assert.equal((await api(lab, 'GET', `/api/v1/token/${second}`)).status, 404);
      const put = await api(lab, 'PUT', `/api/v1/vm/${await checkOut()}`, { body: { lifetime: 2 }, headers: token(second) });
      assert.deepEqual([put.status, put.body], [401, { ok: false }], 'a deleted token no longer works');
      const listed = await api(lab, 'GET', '/api/v1/token', { headers: basic('alice', 'alice-pw') });
      assert.deepEqual(Object.keys(listed.body).sort(), [hashToken(aliceToken), 'ok'].sort());
    });
  });

  describe('PUT /vm/<host>', () => {
    it('sets the lifetime (digits accepted) and merges filtered tags, shown by GET at once', async () => {
      const hostname = await checkOut();
      const put = await api(lab, 'PUT', `/api/v1/vm/${hostname}`, {
        body: { lifetime: '12', tags: { project: 'labpool', url: 'https://ci.example.com/job/7', user: '' } },
        headers: token(aliceToken),
      });
      assert.deepEqual([put.status, put.body], [200, { ok: true }]);
      const vm = (await api(lab, 'GET', `/api/v1/vm/${hostname}`)).body[hostname] as Json;
      assert.equal(vm.lifetime, 12);
      assert.deepEqual(vm.tags, { project: 'labpool', url: 'ci.example.com', user: 'alice' });
      const again = await api(lab, 'PUT', `/api/v3/vm/${hostname}.lab`, { body: { tags: { project: 'other' } }, headers: token(aliceToken) });
      assert.deepEqual([again.status, again.body], [200, { ok: true }], 'v3 by FQDN');
      assert.deepEqual(((await api(lab, 'GET', `/api/v3/vm/${hostname}.lab`)).body[`${hostname}.lab`] as Json).tags, { project: 'other', url: 'ci.example.com', user: 'alice' });
    });

    it('answers 400 {ok:false, failure:[...]} to bad lifetimes and tags, changing nothing', async () => {
      const hostname = await checkOut();
      for (const body of [
        { lifetime: 0 },
        { lifetime: 48 },
        { lifetime: '1.5' },
        { lifetime: 'soon' },
        { tags: 'a=b' },
        { tags: ['x'] },
        { tags: null },
        { tags: { secret: 'x' } },
        { tags: { project: 5 } },
        { tags: { project: 'v'.repeat(256) } },
        { color: 'red' },
        [1],
      ]) {
        const reply = await api(lab, 'PUT', `/api/v1/vm/${hostname}`, { body, headers: token(aliceToken) });
        assert.equal(reply.status, 400, JSON.stringify(body));
        assert.equal(reply.body.ok, false);
        assert.ok(Array.isArray(reply.body.failure) && reply.body.failure.length > 0, JSON.stringify(reply.body));
      }
      const vm = (await api(lab, 'GET', `/api/v1/vm/${hostname}`)).body[hostname] as Json;
      assert.equal(vm.lifetime, 24);
      assert.deepEqual(vm.tags, { user: 'alice' });
      const notJson = await api(lab, 'PUT', `/api/v1/vm/${hostname}`, { raw: '{nope', headers: token(aliceToken) });
      assert.equal(notJson.status, 400);
    });

    it('wants a valid token (401) and a running host (404)', async () => {
      const hostname = await checkOut();
      for (const headers of [{}, token('abcdefghijklmnopqrstuvwxyz012345'), token('junk')]) {
        const reply = await api(lab, 'PUT', `/api/v1/vm/${hostname}`, { body: { lifetime: 2 }, headers });
        assert.deepEqual([reply.status, reply.body], [401, { ok: false }], JSON.stringify(headers));
      }
      assert.deepEqual(await api(lab, 'PUT', '/api/v1/vm/nosuchhost', { body: { lifetime: 2 }, headers: token(aliceToken) }).then((r) => [r.status, r.body]), [404, { ok: false }]);
      await waitFor(() => queues().ready.length > 0);
      const ready = queues().ready[0]!;
      assert.equal((await api(lab, 'PUT', `/api/v1/vm/${ready}`, { body: { lifetime: 2 }, headers: token(aliceToken) })).status, 404, 'a ready host is not running');
    });
  });

  describe('disks and snapshots', () => {
    it('records a disk request (202), shown in GET, and says it is simulated', async () => {
      const hostname = await checkOut();
      const reply = await api(lab, 'POST', `/api/v1/vm/${hostname}/disk/8`, { headers: token(aliceToken) });
      assert.equal(reply.status, 202);
      assert.equal(reply.body.ok, true);
      assert.deepEqual(reply.body[hostname], { disk: '+8gb' });
      assert.match(String(reply.body.simulated), /recorded only/);
      await api(lab, 'POST', `/api/v3/vm/${hostname}.lab/disk/2048`, { headers: token(aliceToken) });
      assert.deepEqual(((await api(lab, 'GET', `/api/v1/vm/${hostname}`)).body[hostname] as Json).disk, ['+8gb', '+2048gb']);
      for (const size of ['0', '2049', 'abc', '1.5', '-4']) {
        assert.deepEqual(await api(lab, 'POST', `/api/v1/vm/${hostname}/disk/${size}`, { headers: token(aliceToken) }).then((r) => [r.status, r.body]), [404, { ok: false }], size);
      }
      assert.equal((await api(lab, 'POST', `/api/v1/vm/${hostname}/disk/8`)).status, 401);
      assert.equal((await api(lab, 'POST', '/api/v1/vm/nosuchhost/disk/8', { headers: token(aliceToken) })).status, 404);
    });

    it('records a snapshot (202) with a 32-character id, reverts to it (202) and refuses unknown ones (404)', async () => {
      const hostname = await checkOut();
      const reply = await api(lab, 'POST', `/api/v1/vm/${hostname}/snapshot`, { headers: token(aliceToken) });
      assert.equal(reply.status, 202);
      const id = (reply.body[hostname] as { snapshot: string }).snapshot;
      assert.match(id, /^[a-z0-9]{32}$/);
      assert.match(String(reply.body.simulated), /recorded only/);
      assert.deepEqual(((await api(lab, 'GET', `/api/v1/vm/${hostname}`)).body[hostname] as Json).snapshots, [id]);
      const revert = await api(lab, 'POST', `/api/v3/vm/${hostname}.lab/snapshot/${id}`, { headers: token(aliceToken) });
      assert.equal(revert.status, 202);
      assert.equal(revert.body.ok, true);
      for (const bad of ['abcdefghijklmnopqrstuvwxyz012345', 'nope']) {
        assert.deepEqual(await api(lab, 'POST', `/api/v1/vm/${hostname}/snapshot/${bad}`, { headers: token(aliceToken) }).then((r) => [r.status, r.body]), [404, { ok: false }]);
      }
      assert.equal((await api(lab, 'POST', `/api/v1/vm/${hostname}/snapshot`)).status, 401);
      assert.equal((await api(lab, 'POST', '/api/v1/vm/nosuchhost/snapshot', { headers: token(aliceToken) })).status, 404);
    });
  });

  describe('pool configuration', () => {
    it('shows pools with their effective size and template', async () => {
      const reply = await api(lab, 'GET', '/api/v1/config');
      assert.equal(reply.status, 200);
      const [pool] = reply.body.pool_configuration as Json[];
      assert.equal(pool?.name, POOL);
      assert.deepEqual(pool?.alias, ['ubuntu']);
      assert.equal(pool?.template, 'ubuntu');
      assert.equal(pool?.size, 2);
      assert.equal(pool?.ready_ttl, 60);
      assert.equal(pool?.template_ready, true);
      assert.deepEqual(reply.body.status, { ok: true });
    });

    it('changes a pool size (201, then 200 unchanged), the pool grows, and DELETE restores it', async () => {
      const headers = token(aliceToken);
      assert.deepEqual(await api(lab, 'POST', '/api/v1/config/poolsize', { body: { [POOL]: '3' }, headers }).then((r) => [r.status, r.body]), [201, { ok: true }]);
      assert.deepEqual(await api(lab, 'POST', '/api/v3/config/poolsize', { body: { [POOL]: 3 }, headers }).then((r) => [r.status, r.body]), [200, { ok: true }]);
      assert.equal(((await api(lab, 'GET', '/api/v1/config')).body.pool_configuration as Json[])[0]?.size, 3);
      await waitFor(() => queues().members.size === 3 && queues().ready.length === 3);
      assert.deepEqual(await api(lab, 'DELETE', `/api/v1/config/poolsize/${POOL}`, { headers }).then((r) => [r.status, r.body]), [201, { ok: true }]);
      assert.equal((await api(lab, 'DELETE', `/api/v1/config/poolsize/${POOL}`, { headers })).status, 200);
      assert.equal((await api(lab, 'DELETE', '/api/v1/config/poolsize/nope', { headers })).status, 404);
      await waitFor(() => queues().members.size === 2);
    });

    it('answers 400 not_configured for unknown pools and bad sizes, changing nothing', async () => {
      const headers = token(aliceToken);
      const reply = await api(lab, 'POST', '/api/v1/config/poolsize', { body: { [POOL]: '4', nope: '1' }, headers });
      assert.deepEqual([reply.status, reply.body], [400, { ok: false, not_configured: ['nope'] }]);
      assert.deepEqual((await api(lab, 'POST', '/api/v1/config/poolsize', { body: { [POOL]: '-1' }, headers })).body, { ok: false, not_configured: [POOL] });
      assert.deepEqual(await api(lab, 'POST', '/api/v1/config/poolsize', { body: [1], headers }).then((r) => [r.status, r.body]), [400, { ok: false, not_configured: [] }]);
      assert.equal(vmpooler().manager.effective(POOL)?.size, 2);
    });

    it('wants a token for every experimental route (401)', async () => {
      for (const [method, path, body] of [
        ['POST', '/api/v1/config/poolsize', { [POOL]: '3' }],
        ['DELETE', `/api/v1/config/poolsize/${POOL}`, undefined],
        ['POST', '/api/v1/config/pooltemplate', { [POOL]: 'ubuntu' }],
        ['POST', '/api/v3/poolreset', { [POOL]: '1' }],
      ] as const) {
        const reply = await api(lab, method, path, { body });
        assert.deepEqual([reply.status, reply.body], [401, { ok: false }], `${method} ${path}`);
      }
    });

    it('changes a pool’s template to another labpool image: its devices are imaged afresh', async () => {
      const headers = token(aliceToken);
      const bad = await api(lab, 'POST', '/api/v1/config/pooltemplate', { body: { [POOL]: 'templates/centos', nope: 'ubuntu' }, headers });
      assert.deepEqual([bad.status, bad.body], [400, { ok: false, bad_templates: [POOL, 'nope'] }]);
      assert.equal((await api(lab, 'POST', '/api/v1/config/pooltemplate', { body: { [POOL]: 'android' }, headers })).status, 201);
      assert.equal((await api(lab, 'POST', '/api/v1/config/pooltemplate', { body: { [POOL]: 'android' }, headers })).status, 200);
      assert.equal(((await api(lab, 'GET', '/api/v1/config')).body.pool_configuration as Json[])[0]?.template, 'android');
      await waitFor(() => [...queues().members.values()].filter((member) => member.phase === 'ready' && member.image === 'android').length === 2);
    });

    it('resets pools (201; 400 bad_pools for unknown ones): ready devices are imaged afresh', async () => {
      const headers = token(aliceToken);
      await waitFor(() => queues().ready.length === 2);
      const before = new Map([...queues().members.values()].map((member) => [member.device, member.sinceMs]));
      assert.deepEqual(await api(lab, 'POST', '/api/v1/poolreset', { body: { nope: '1' }, headers }).then((r) => [r.status, r.body]), [400, { ok: false, bad_pools: ['nope'] }]);
      assert.deepEqual(await api(lab, 'POST', '/api/v1/poolreset', { body: { [POOL]: '1' }, headers }).then((r) => [r.status, r.body]), [201, { ok: true }]);
      await waitFor(() => [...queues().members.values()].filter((member) => member.phase === 'ready' && member.sinceMs > (before.get(member.device) ?? Infinity)).length === 2);
    });
  });

  describe('GET /restart', () => {
    it('re-plans every pool for an admin token; 401 for others; 404 without a valid token', async () => {
      const reply = await api(lab, 'GET', '/api/v1/restart', { headers: token(adminToken) });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.ok, true);
      assert.equal(typeof reply.body.message, 'string');
      assert.deepEqual(await api(lab, 'GET', '/api/v3/restart', { headers: token(aliceToken) }).then((r) => [r.status, r.body]), [401, { ok: false }]);
      assert.deepEqual(await api(lab, 'GET', '/api/v1/restart').then((r) => [r.status, r.body]), [404, { ok: false }]);
      assert.equal((await api(lab, 'GET', '/api/v1/restart', { headers: token('abcdefghijklmnopqrstuvwxyz012345') })).status, 404);
    });
  });
});

describe('vmpooler admin routes with auth off and experimental features off', () => {
  let lab: TestLab;
  let stopStages: () => void;
  before(async () => {
    lab = await startTestLab(createTestInventory(3), { config: { vmpooler: { pools: [{ name: POOL, image: 'ubuntu', size: 1 }] } } });
    stopStages = driveSecondStages(lab.labpool);
  });
  after(async () => {
    const queues = () => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues(POOL);
    await waitFor(() => queues().ready.length === 1 && queues().members.size === 1);
    stopStages();
    await lab.labpool.part(vmpoolerDialect).lab.manager.idle();
    await lab.labpool.stop();
  });

  it('has no token routes: 404 {ok:false}', async () => {
    for (const [method, path] of [
      ['POST', '/api/v1/token'],
      ['GET', '/api/v1/token'],
      ['GET', '/api/v3/token/abcdefghijklmnopqrstuvwxyz012345'],
      ['DELETE', '/api/v1/token/abcdefghijklmnopqrstuvwxyz012345'],
    ] as const) {
      assert.deepEqual(await api(lab, method, path, { headers: basic('alice', 'x') }).then((r) => [r.status, r.body]), [404, { ok: false }], `${method} ${path}`);
    }
  });

  it('answers 405 {ok:false} to the experimental routes', async () => {
    for (const [method, path] of [
      ['POST', '/api/v1/config/poolsize'],
      ['DELETE', `/api/v1/config/poolsize/${POOL}`],
      ['POST', '/api/v3/config/pooltemplate'],
      ['POST', '/api/v1/poolreset'],
    ] as const) {
      assert.deepEqual(await api(lab, method, path, { body: { [POOL]: '1' } }).then((r) => [r.status, r.body]), [405, { ok: false }], `${method} ${path}`);
    }
  });

  it('changes hosts without a token, and has no /restart', async () => {
    const queues = () => lab.labpool.part(vmpoolerDialect).lab.context.pools.queues(POOL);
    await waitFor(() => queues().ready.length === 1);
    const hostname = ((await api(lab, 'POST', `/api/v1/vm/${POOL}`)).body[POOL] as { hostname: string }).hostname;
    assert.deepEqual((await api(lab, 'PUT', `/api/v1/vm/${hostname}`, { body: { lifetime: 100, tags: { anything: 'goes' } } })).body, { ok: true });
    assert.equal((await api(lab, 'POST', `/api/v1/vm/${hostname}/disk/1`)).status, 202);
    assert.equal((await api(lab, 'GET', '/api/v1/restart')).status, 404);
  });
});
