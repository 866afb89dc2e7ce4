import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isProblem } from '../../../src/http/errors.js';
import { syncInventory } from '../../../src/lab/inventory-sync.js';
import { createTestInventory, forceReady, startTestLab, type TestLab } from '../../support/lab-harness.js';
import { PEER_TOKEN } from '../../support/lab-servers.js';
import { waitFor } from '../../support/wait-for.js';

const AUTH = { authorization: `Bearer ${PEER_TOKEN}`, 'content-type': 'application/json' };
const attach = (id: string) => ({ type: 'AttachHolder', holder: { kind: 'mozpool_request', id }, nowMs: Date.now() }) as const;

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

function assertProblem(answer: { status: number; body: Record<string, unknown> }, status: number, detail: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.ok(isProblem(answer.body, status), JSON.stringify(answer.body));
  assert.match(String(answer.body['detail']), detail);
}

/** Two servers in this process on one SQLite file, each owning two devices, sharing the peer token. */
describe('the peer route: what one server asks of another server’s actors', () => {
  let dir: string;
  let alpha: TestLab;
  let bravo: TestLab;
  const peer = (lab: TestLab, kind: string, id: string) => `${lab.url}/labpool/peer/${kind}/${id}/`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labpool-peer-'));
    const config = { serverId: '127.0.0.1:0', store: { kind: 'sqlite', path: join(dir, 'events.db'), synchronous: 'NORMAL' }, servers: { peerToken: PEER_TOKEN } } as const;
    alpha = await startTestLab({ ...createTestInventory(0), devices: [] }, { config });
    bravo = await startTestLab({ ...createTestInventory(0), devices: [] }, { config });
    for (const [lab, prefix] of [
      [alpha, 'alpha'],
      [bravo, 'bravo'],
    ] as const) {
      const inventory = createTestInventory(2, prefix);
      // A new device self-tests at once: its hanging power cycle keeps it where forceReady expects it.
      for (const device of inventory.devices) lab.fake.power.set(device.name, 'hang');
      await syncInventory(lab.labpool.lab, { ...inventory, devices: inventory.devices.map((device) => ({ ...device, imagingServer: lab.labpool.serverId })) }, { force: false });
      for (const device of inventory.devices) {
        await forceReady(lab.labpool, device.name);
        lab.fake.power.delete(device.name);
      }
    }
    await waitFor(() => alpha.labpool.lab.context.readModels.devices.get('bravo-0002')?.state === 'ready');
  });

  after(async () => {
    await alpha?.labpool.stop();
    await bravo?.labpool.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the lab’s servers in with the token, and no one else', async () => {
    assertProblem(await call(peer(alpha, 'device', 'alpha-0001')), 401, /peer token/);
    assertProblem(await call(peer(alpha, 'device', 'alpha-0001'), { headers: { authorization: 'Bearer not-the-token-at-all' } }), 401, /peer token/);
    const lone = await startTestLab(createTestInventory(1), {});
    try {
      assertProblem(await call(peer(lone, 'device', 'panda-0001'), { headers: AUTH }), 403, /servers\.peerToken/);
    } finally {
      await lone.labpool.stop();
    }
  });

  it('refuses kinds, bodies and commands peers may not send, and an actor of another server', async () => {
    assertProblem(await call(peer(alpha, 'pool', 'x'), { headers: AUTH }), 404, /no peer route/);
    const post = (url: string, body: unknown) => call(url, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
    assertProblem(await post(peer(alpha, 'device', 'alpha-0001'), { order: 'attach' }), 400, /command/);
    assertProblem(await post(peer(alpha, 'device', 'alpha-0001'), { command: { type: 'PowerCycleResult', seq: 1, ok: true, nowMs: 1 } }), 400, /not a command another server may send/);
    assertProblem(await post(peer(alpha, 'device', 'alpha-0001'), { command: { ...attach('1'), holder: { kind: 'nobody', id: '1' } } }), 400, /not a command/);
    assertProblem(await post(peer(alpha, 'request', '7'), { command: { type: 'Return', nowMs: 1 } }), 400, /not a command/);
    assertProblem(await post(peer(alpha, 'device', 'bravo-0001'), { command: attach('1') }), 409, /managed by 127\.0\.0\.1:\d+, not by this server/);
    assert.equal(bravo.labpool.lab.context.readModels.devices.get('bravo-0001')?.holder, null, 'nothing was attached');
  });

  it('runs an allowed command on the owner’s actor and answers its outcome, a refusal included', async () => {
    const post = (body: unknown) => call(peer(alpha, 'device', 'alpha-0002'), { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
    const first = await post({ command: attach('900'), metadata: { correlationId: 'peer-test' } });
    assert.equal(first.status, 200);
    assert.equal(first.body.ok, true);
    assert.match(first.body.position, /^\d+$/);
    assert.deepEqual(first.body.state.holder, { kind: 'mozpool_request', id: '900' });
    const second = await post({ command: attach('901') });
    assert.equal(second.body.ok, false);
    assert.equal(second.body.rejection.code, 'not_free');
    const read = await call(peer(alpha, 'device', 'alpha-0002'), { headers: AUTH });
    assert.deepEqual(read.body.state.holder, { kind: 'mozpool_request', id: '900' });
    await call(peer(alpha, 'device', 'alpha-0002'), {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ command: { type: 'DetachHolder', holder: { kind: 'mozpool_request', id: '900' }, reason: 'test', nowMs: Date.now() } }),
    });
  });

  it('routes an ask of another server’s device there: the owner writes the event', async () => {
    const outcome = await alpha.labpool.lab.context.kinds.devices.ask('bravo-0002', attach('902'), { actor: 'test' });
    assert.equal(outcome.ok, true);
    const stream = await alpha.labpool.store.readStream('device-bravo-0002');
    const attached = stream.filter((event) => event.type === 'DeviceHolderAttached').at(-1)!;
    assert.equal(attached.metadata.server, bravo.labpool.serverId);
    assert.equal(attached.metadata.actor, 'test');
    assert.equal((await alpha.labpool.lab.context.kinds.devices.read('bravo-0002')).state.holder?.id, '902');
  });
});
