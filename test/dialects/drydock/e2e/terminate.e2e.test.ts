import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../../support/wait-for.js';
import { GOOD_NODES, PATIENCE_MS, startDrydockE2e, waitBusy, waitReady, type DrydockE2e } from './drydock-e2e-harness.js';

/** `DELETE /api/v1.0/tasks/{id}` while the nodes are being imaged. */
describe('Drydock task termination mid-deploy on the simulated lab', () => {
  let e2e: DrydockE2e;

  before(async () => {
    e2e = await startDrydockE2e(2);
    await waitReady(e2e, GOOD_NODES);
  });
  after(() => e2e?.stop());

  it('ends terminated with its nodes failed, not as a success, and gives the nodes back free', async () => {
    const created = await e2e.createTask('deploy_nodes', GOOD_NODES);
    for (const node of GOOD_NODES) await waitBusy(e2e, node);
    const deleted = await e2e.call('DELETE', `/api/v1.0/tasks/${created.task_id}`);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.deepEqual([deleted.body.status, deleted.body.terminate, deleted.body.terminated_by], ['terminating', true, 'demo']);
    const task = await e2e.finished(created.task_id);
    assert.deepEqual([task.status, task.result.status, task.terminated_by], ['terminated', 'failure', 'demo'], JSON.stringify(task.result));
    assert.deepEqual([...task.result.failures].sort(), [...GOOD_NODES]);
    assert.deepEqual(task.result.successes, []);
    const errors = task.result.details.messageList.filter((message) => message.error).map((message) => message.message);
    for (const node of GOOD_NODES) assert.ok(errors.includes(`node ${node}: task terminated by demo before the node had a result`), errors.join('\n'));
    for (const id of task.subtask_id_list) {
      const sub = await e2e.task(id);
      assert.deepEqual([sub.status, sub.result.status, sub.terminated_by], ['terminated', 'failure', 'demo']);
    }
    // Released mid-imaging: the device ends its boot, then it is free for anyone.
    for (const node of GOOD_NODES) {
      await waitFor(async () => (await e2e.device(node)).state === 'ready', PATIENCE_MS);
      const device = await e2e.device(node);
      assert.deepEqual([device.held_by, device.request_id], [undefined, null], JSON.stringify(device));
    }
  });

  it('ends terminated the same when labpool restarts right after the DELETE', async () => {
    const created = await e2e.createTask('deploy_nodes', GOOD_NODES);
    for (const node of GOOD_NODES) await waitBusy(e2e, node);
    assert.equal((await e2e.call('DELETE', `/api/v1.0/tasks/${created.task_id}`)).status, 200);
    await e2e.sim.restart();
    const task = await e2e.finished(created.task_id);
    assert.deepEqual([task.status, task.result.status, [...task.result.failures].sort()], ['terminated', 'failure', [...GOOD_NODES]], JSON.stringify(task.result));
    for (const node of GOOD_NODES) {
      await waitFor(async () => (await e2e.device(node)).state === 'ready', PATIENCE_MS);
      assert.equal((await e2e.device(node)).held_by, undefined);
    }
  });

  it('refuses to terminate a task that is over, in Drydock’s error shape', async () => {
    const [task] = (await e2e.call('GET', '/api/v1.0/tasks')).body as { task_id: string; parent_task_id: string | null }[];
    const again = await e2e.call('DELETE', `/api/v1.0/tasks/${task!.task_id}`);
    assert.equal(again.status, 409);
    assert.equal(again.body.type, 'error');
    assert.match(again.body.message, /is terminated: cannot terminate/);
    assert.equal(again.body.retry, false);
  });
});
