import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PoolEvent } from '../../../src/dialects/vmpooler/domain/pool-decider.js';
import type { VmEvent } from '../../../src/dialects/vmpooler/domain/vm-events.js';
import { poolAudit, vmAudit } from '../../../src/dialects/vmpooler/projections/vmpooler-audit.js';
import { vmpoolerDialect } from '../../../src/dialects/vmpooler/vmpooler-dialect.js';
import type { TokenEvent } from '../../../src/domain/identity/token-events.js';
import { tokenAudit } from '../../../src/projections/audit/token-audit.js';
import { replayAt, type ReplayedState } from '../../../src/projections/audit/audit-replay.js';
import { MINUTE_MS, recorded, T0 } from '../../projections/audit/audit-events.js';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';
import { driveSecondStages } from '../../support/second-stage.js';
import { waitFor } from '../../support/wait-for.js';

const VM = 'abcdefghij12345';
const HASH = 'ab'.repeat(32);
const field = (replayed: ReplayedState, key: string): unknown => (replayed.state as Readonly<Record<string, unknown>> | null)?.[key];

/** A checkout at T0, tagged a minute later, deleted at T0 + 5 min. */
function vmLife(): VmEvent[] {
  return [
    { type: 'VmCheckedOut', data: { id: VM, pool: 'ubuntu', device: 'panda-0001', user: 'jdoe', tokenHash: HASH, lifetimeH: 2, atMs: T0 } },
    { type: 'VmTagged', data: { tags: { project: 'x' }, atMs: T0 + MINUTE_MS } },
    { type: 'VmDeleted', data: { reason: 'deleted', atMs: T0 + 5 * MINUTE_MS } },
  ];
}

describe('vmpooler audit kinds: VMs, pools and tokens replay through their domain folds', () => {
  it('folds a VM through evolveVm: running until deleted, with its tags as they were', () => {
    const events = recorded(`vm-${VM}`, vmLife());
    assert.equal(replayAt(vmAudit, events, T0 - 1).state, null);
    const checkedOut = replayAt(vmAudit, events, T0);
    assert.equal(checkedOut.mozpool_state, 'running');
    assert.deepEqual(field(checkedOut, 'tags'), {});
    assert.equal(field(checkedOut, 'device'), 'panda-0001');
    assert.deepEqual(field(replayAt(vmAudit, events, T0 + 2 * MINUTE_MS), 'tags'), { project: 'x' });
    assert.equal(replayAt(vmAudit, events, T0 + 5 * MINUTE_MS).mozpool_state, 'deleted');
  });

  it("folds a pool's overrides through evolvePool", () => {
    const life: PoolEvent[] = [
      { type: 'PoolSizeSet', data: { size: 7, atMs: T0 } },
      { type: 'PoolSizeCleared', data: { atMs: T0 + MINUTE_MS } },
    ];
    const events = recorded('pool-ubuntu', life);
    const resized = replayAt(poolAudit, events, T0);
    assert.equal(resized.mozpool_state, 'overridden');
    assert.equal(field(resized, 'size'), 7);
    assert.equal(replayAt(poolAudit, events, T0 + MINUTE_MS).mozpool_state, 'configured');
  });

  it('folds a token through the token decider, never showing more than its hash names', () => {
    const life: TokenEvent[] = [
      { type: 'TokenCreated', data: { user: 'jdoe', roles: ['user'], atMs: T0 } },
      { type: 'TokenUsed', data: { atMs: T0 + MINUTE_MS } },
      { type: 'TokenRevoked', data: { atMs: T0 + 2 * MINUTE_MS, by: 'jdoe' } },
    ];
    const events = recorded(`token-${HASH}`, life);
    assert.equal(replayAt(tokenAudit, events, T0).mozpool_state, 'active');
    assert.equal(field(replayAt(tokenAudit, events, T0 + MINUTE_MS), 'lastUsedAtMs'), T0 + MINUTE_MS);
    assert.equal(replayAt(tokenAudit, events, T0 + 2 * MINUTE_MS).mozpool_state, 'revoked');
  });

  it('reads ids as their streams name them and refuses malformed ones', () => {
    assert.equal(vmAudit.parseId(VM), VM);
    assert.equal(vmAudit.parseId('panda-0001'), undefined);
    assert.equal(vmAudit.streamOf(VM), `vm-${VM}`);
    assert.equal(poolAudit.parseId('ubuntu-22.04_x86'), 'ubuntu-22.04_x86');
    assert.equal(poolAudit.parseId('bad name'), undefined);
    assert.equal(poolAudit.streamOf('ubuntu'), 'pool-ubuntu');
    assert.equal(tokenAudit.parseId(HASH.toUpperCase()), HASH);
    assert.equal(tokenAudit.parseId('utpg2i2xswor6h8ttjhu3d47z53yy47y'), undefined, 'the token itself is not its name');
    assert.equal(tokenAudit.streamOf(HASH), `token-${HASH}`);
  });
});

describe('vmpooler streams in the audit history and the event tail of a running lab', () => {
  let lab: TestLab;
  let stopStages: () => void;
  let vmId: string;
  const get = async (path: string) => {
    const response = await fetch(`${lab.url}${path}`);
    return { status: response.status, body: (await response.json()) as any };
  };

  before(async () => {
    lab = await startTestLab(createTestInventory(2), { config: { vmpooler: { pools: [{ name: 'ubuntu', image: 'ubuntu', size: 1 }] } } });
    stopStages = driveSecondStages(lab.labpool);
    const { pools } = lab.labpool.part(vmpoolerDialect).lab.context;
    await waitFor(() => pools.queues('ubuntu').ready.length === 1);
    const checkout = (await (await fetch(`${lab.url}/api/v1/vm/ubuntu`, { method: 'POST' })).json()) as { ubuntu: { hostname: string } };
    vmId = pools.vmOnDevice(checkout.ubuntu.hostname)!.id!;
    await fetch(`${lab.url}/api/v1/vm/${checkout.ubuntu.hostname}`, { method: 'DELETE' });
  });
  after(async () => {
    stopStages();
    await lab.labpool.stop();
  });

  it("lists a VM's events and replays its state at an instant", async () => {
    const { status, body } = await get(`/api/vm/${vmId}/history/`);
    assert.equal(status, 200);
    assert.deepEqual(
      body.history.map((entry: { type: string }) => entry.type),
      ['VmCheckedOut', 'VmDeleted'],
    );
    const checkedOutAt = body.history[0].time as string;
    const replayed = await get(`/api/vm/${vmId}/history/?at=${encodeURIComponent(checkedOutAt)}`);
    assert.equal(replayed.body.mozpool_state, 'running');
    assert.equal(replayed.body.state.pool, 'ubuntu');
  });

  it('answers 400 to a malformed id and 404 to an unknown VM, pool or token', async () => {
    assert.equal((await get('/api/vm/NOT-A-VM/history/')).status, 400);
    assert.equal((await get(`/api/vm/${'z'.repeat(15)}/history/`)).status, 404);
    assert.equal((await get('/api/pool/ubuntu/history/')).status, 404, 'no override was ever made');
    assert.equal((await get(`/api/token/${HASH}/history/`)).status, 404);
    assert.equal((await get('/api/token/nope/history/')).status, 400);
  });

  it('tails vm streams by category from the start of the log', async () => {
    const response = await fetch(`${lab.url}/api/events/?category=vm&from=0`);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('VmDeleted')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    assert.match(text, /VmCheckedOut/);
    assert.doesNotMatch(text, /DeviceStateEntered/);
  });
});
