import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { vmpoolerDialect } from '../../../src/dialects/vmpooler/vmpooler-dialect.js';
import { driveSecondStages } from '../../support/second-stage.js';
import { createTestInventory, startTestLab, type TestLab } from '../../support/lab-harness.js';
import { waitFor } from '../../support/wait-for.js';

const POOL_SIZE = 50;
const CLIENTS = 300;

type Answer = { readonly status: number; readonly body: Record<string, unknown> };

/**
 * 300 clients at once ask for one `a` and one `b` host over real HTTP from two pools of 50 ready
 * devices, imaged through the device actors. The inventory is exactly the pools' 100 devices, so no
 * pool refills while the race runs: whatever the answers say must match the devices' holders.
 */
describe('vmpooler checkout race: 300 clients for a+b over two pools of 50', () => {
  let lab: TestLab;
  let stopStages: () => void;
  const vmpooler = () => lab.labpool.part(vmpoolerDialect).lab.context;

  before(async () => {
    const pool = (name: string) => ({ name, image: 'ubuntu', size: POOL_SIZE, reimageConcurrency: POOL_SIZE });
    lab = await startTestLab(createTestInventory(2 * POOL_SIZE), { config: { vmpooler: { pools: [pool('a'), pool('b')] } } });
    stopStages = driveSecondStages(lab.labpool);
    await waitFor(() => vmpooler().pools.queues('a').ready.length === POOL_SIZE && vmpooler().pools.queues('b').ready.length === POOL_SIZE, 120_000);
  });
  after(async () => {
    stopStages();
    await lab.labpool.stop();
  });

  it('gives no device twice, one a and one b to each winner, 503 {ok:false} and nothing held to each loser', async () => {
    const answers: Answer[] = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const response = await fetch(`${lab.url}/api/v1/vm/a+b`, { method: 'POST' });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      }),
    );
    const winners = answers.filter((answer) => answer.status === 200);
    const losers = answers.filter((answer) => answer.status !== 200);
    for (const loser of losers) assert.deepEqual(loser, { status: 503, body: { ok: false } });
    // Who wins is a race (a loser may hold an `a` host while the `b` hosts run out), but some must.
    assert.ok(winners.length > 0 && winners.length <= POOL_SIZE, `${winners.length} winners`);

    const given = new Map<string, string>();
    for (const winner of winners) {
      assert.equal(winner.body.ok, true);
      for (const pool of ['a', 'b']) {
        const hostname = (winner.body[pool] as { hostname: unknown }).hostname;
        assert.equal(typeof hostname, 'string', `one ${pool} host each`);
        assert.equal(given.has(hostname as string), false, `${String(hostname)} given twice`);
        given.set(hostname as string, pool);
      }
    }

    const { pools, kinds } = vmpooler();
    await waitFor(() => pools.queues('a').running.size + pools.queues('b').running.size === 2 * winners.length);
    assert.equal(pools.queues('a').running.size, winners.length);
    assert.equal(pools.queues('b').running.size, winners.length);
    // The devices' own state (the single writer of its holder) agrees with every answer.
    for (const { name } of createTestInventory(2 * POOL_SIZE).devices) {
      const { state } = await kinds.devices.read(name);
      const pool = given.get(name);
      if (pool === undefined) {
        assert.equal(state.holder?.kind, 'vmpooler_pool', `${name} was given to nobody: its pool holds it`);
        continue;
      }
      assert.equal(state.holder?.kind, 'vmpooler_vm', `${name} was given: a VM holds it`);
      const vm = pools.vm(state.holder.id);
      assert.ok(vm !== undefined, `${name}'s VM is open`);
      assert.equal(vm.device, name);
      assert.equal(vm.pool, pool);
      assert.equal(pools.queues(pool).running.get(name), state.holder.id);
    }
  });
});
