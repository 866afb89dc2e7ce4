import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../../support/wait-for.js';
import { GOOD_NODES, PATIENCE_MS, startDrydockE2e, waitBusy, waitReady, type DrydockE2e } from './drydock-e2e-harness.js';

/** labpool and its simulated lab stop and start again while a deploy images its nodes. */
describe('Drydock deploy_nodes across a restart of labpool', () => {
  let e2e: DrydockE2e;

  before(async () => {
    e2e = await startDrydockE2e(2);
    await waitReady(e2e, GOOD_NODES);
  });
  after(() => e2e?.stop());

  it('carries the deploy on after the restart to complete with success', async () => {
    const created = await e2e.createTask('deploy_nodes', GOOD_NODES);
    await waitBusy(e2e, GOOD_NODES[0]);
    await e2e.sim.restart();
    // The token, tasks and bootactions are in the store: the same client carries on.
    assert.equal((await e2e.task(created.task_id)).status, 'running');
    for (const node of GOOD_NODES) {
      await waitFor(async () => (await e2e.bootactions(node)).some((action) => action.action_name === 'sim-hello' && action.action_status === 'success'), PATIENCE_MS);
      assert.equal((await e2e.report(node, 'operator-check', 'success')).status, 200);
    }
    const task = await e2e.finished(created.task_id);
    assert.deepEqual([task.status, task.result.status], ['complete', 'success'], JSON.stringify(task.result));
    assert.deepEqual([...task.result.successes].sort(), [...GOOD_NODES]);
    for (const node of GOOD_NODES) {
      const device = await e2e.device(node);
      assert.deepEqual([device.state, device.image], ['ready', 'ubuntu']);
      assert.ok(task.subtask_id_list.includes(device.held_by?.replace('deployment ', '') ?? ''), `${node} held by its node task`);
      const boots = await e2e.imagings(node, 'ubuntu');
      assert.equal(boots.at(-1)?.finished?.outcome, 'complete', JSON.stringify(boots));
    }
  });
});
