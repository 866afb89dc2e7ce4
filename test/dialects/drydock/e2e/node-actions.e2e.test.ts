import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../../support/wait-for.js';
import { deployNodes, GOOD_NODES, PATIENCE_MS, startDrydockE2e, waitReady, type DrydockE2e } from './drydock-e2e-harness.js';

const [FIRST, SECOND] = GOOD_NODES;

/** verify, prepare, relabel and destroy of deployed simulated nodes, through Drydock's HTTP API. */
describe('Drydock node actions on the simulated lab', () => {
  let e2e: DrydockE2e;
  let deployment: Record<string, string | undefined>;

  before(async () => {
    e2e = await startDrydockE2e(2);
    await waitReady(e2e, GOOD_NODES);
    const deployed = await deployNodes(e2e, GOOD_NODES);
    assert.equal(deployed.result.status, 'success', JSON.stringify(deployed.result));
    deployment = Object.fromEntries(await Promise.all(GOOD_NODES.map(async (node) => [node, (await e2e.device(node)).held_by])));
  });
  after(() => e2e?.stop());

  it('verify_nodes self-tests a deployed node and leaves it with its deployment', async () => {
    const task = await e2e.finished((await e2e.createTask('verify_nodes', [FIRST])).task_id);
    assert.deepEqual([task.status, task.result.status, task.result.successes], ['complete', 'success', [FIRST]], JSON.stringify(task.result));
    const device = await e2e.device(FIRST);
    assert.deepEqual([device.state, device.held_by], ['ready', deployment[FIRST]]);
    assert.match((await e2e.nodeMessages(task.task_id)).join('\n'), new RegExp(`self-testing ${FIRST}: done`));
  });

  it('prepare_nodes power cycles a deployed node and leaves it with its deployment', async () => {
    const task = await e2e.finished((await e2e.createTask('prepare_nodes', [SECOND])).task_id);
    assert.deepEqual([task.status, task.result.status, task.result.successes], ['complete', 'success', [SECOND]], JSON.stringify(task.result));
    const device = await e2e.device(SECOND);
    assert.deepEqual([device.state, device.held_by, device.image], ['ready', deployment[SECOND], 'ubuntu']);
  });

  it('relabel_nodes reports the inventory labels without touching the node', async () => {
    const boots = (await e2e.call('GET', `/api/device/${FIRST}/boots/`)).body.boots.length;
    const task = await e2e.finished((await e2e.createTask('relabel_nodes', [FIRST])).task_id);
    assert.deepEqual([task.status, task.result.status, task.result.successes], ['complete', 'success', [FIRST]]);
    assert.match((await e2e.nodeMessages(task.task_id)).join('\n'), new RegExp(`node ${FIRST} labels: .*arch=x86_64`));
    assert.equal((await e2e.call('GET', `/api/device/${FIRST}/boots/`)).body.boots.length, boots);
  });

  it('destroy_nodes writes the erase image and gives the nodes back to the lab, free', async () => {
    const task = await e2e.finished((await e2e.createTask('destroy_nodes', GOOD_NODES)).task_id);
    assert.deepEqual([task.status, task.result.status], ['complete', 'success'], JSON.stringify(task.result));
    assert.deepEqual([...task.result.successes].sort(), [...GOOD_NODES]);
    for (const node of GOOD_NODES) {
      const erased = await e2e.imagings(node, 'erase');
      assert.equal(erased.length, 1, JSON.stringify(erased));
      assert.equal(erased[0]!.finished?.outcome, 'complete');
      assert.ok(task.subtask_id_list.includes(erased[0]!.holder?.id ?? ''), 'erased while the destroy held it');
      await waitFor(async () => (await e2e.device(node)).state === 'ready', PATIENCE_MS);
      const device = await e2e.device(node);
      assert.deepEqual([device.image, device.held_by, device.request_id], ['erase', undefined, null]);
      const listed = (await e2e.call('GET', '/api/v1.0/nodes')).body.find((each: { hostname: string }) => each.hostname === node);
      assert.equal(listed.status_name, 'Ready');
    }
  });
});
