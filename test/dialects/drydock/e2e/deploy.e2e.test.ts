import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../../support/wait-for.js';
import { GOOD_NODES, PATIENCE_MS, startDrydockE2e, waitReady, type DrydockE2e, type TaskDict } from './drydock-e2e-harness.js';

/**
 * A deploy of two simulated nodes from start to end over Drydock's HTTP API: the nodes are imaged
 * through power cycles and PXE over TFTP, fetch their bootaction tarballs and report `sim-hello`
 * themselves; the operator reports `operator-check`. Then the same design again: nothing is imaged.
 */
describe('Drydock deploy_nodes on the simulated lab', () => {
  let e2e: DrydockE2e;
  let deployed: TaskDict;

  before(async () => {
    e2e = await startDrydockE2e(4);
    await waitReady(e2e, GOOD_NODES);
  });
  after(() => e2e?.stop());

  it('goes queued → running → complete with success once every bootaction reported', async () => {
    const created = await e2e.createTask('deploy_nodes', GOOD_NODES);
    assert.equal(created.status, 'queued');
    assert.equal(created.result.status, 'incomplete');
    await waitFor(async () => (await e2e.task(created.task_id)).status === 'running', PATIENCE_MS);
    for (const node of GOOD_NODES) {
      await waitFor(async () => (await e2e.bootactions(node)).find((action) => action.action_name === 'sim-hello')?.action_status === 'success', PATIENCE_MS);
      assert.equal((await e2e.task(created.task_id)).status, 'running', 'operator-check is still awaited');
      const reported = await e2e.report(node, 'operator-check', 'success');
      assert.equal(reported.status, 200, JSON.stringify(reported.body));
      assert.equal(reported.body.action_status, 'success');
    }
    deployed = await e2e.finished(created.task_id);
    assert.equal(deployed.status, 'complete');
    assert.equal(deployed.result.status, 'success', JSON.stringify(deployed.result));
    assert.deepEqual([...deployed.result.successes].sort(), [...GOOD_NODES]);
    assert.deepEqual(deployed.result.failures, []);
  });

  it('imaged each node with ubuntu through a power cycle and PXE, and the node holds its deployment', async () => {
    for (const node of GOOD_NODES) {
      const boots = await e2e.imagings(node, 'ubuntu');
      assert.equal(boots.length, 1, JSON.stringify(boots));
      const stages = boots[0]!.stages.map((stage) => stage.stage);
      for (const stage of ['pxe_power_cycling', 'pxe_booting', 'ubuntu_downloading', 'ubuntu_extracting', 'operation_complete']) assert.ok(stages.includes(stage), `${node}: ${stages.join(' ')}`);
      assert.equal(boots[0]!.holder?.kind, 'drydock_deployment');
      assert.equal(boots[0]!.finished?.outcome, 'complete');
      const device = await e2e.device(node);
      assert.equal(device.image, 'ubuntu');
      assert.equal(device.state, 'ready');
      assert.equal(device.held_by, `deployment ${boots[0]!.holder?.id}`);
      assert.ok(deployed.subtask_id_list.includes(boots[0]!.holder.id), 'held by its node task');
      const nodes = (await e2e.call('GET', '/api/v1.0/nodes')).body as { hostname: string; image: string; status_name: string }[];
      assert.deepEqual(
        nodes.filter((each) => each.hostname === node).map(({ image, status_name }) => ({ image, status_name })),
        [{ image: 'ubuntu', status_name: 'Deployed' }],
      );
    }
  });

  it('recorded both bootactions as succeeded, sim-hello by the node itself', async () => {
    for (const node of GOOD_NODES) {
      const actions = await e2e.bootactions(node);
      assert.deepEqual(actions.map((action) => [action.action_name, action.action_status]).sort(), [
        ['operator-check', 'success'],
        ['sim-hello', 'success'],
      ]);
    }
    const messages = await e2e.nodeMessages(deployed.task_id);
    for (const node of GOOD_NODES) assert.ok(messages.includes(`hello from ${node}`), messages.join('\n'));
  });

  it('has one node task per node, listed by ?layers=2 and ?layers=-1', async () => {
    assert.equal(deployed.subtask_id_list.length, 2);
    for (const layers of ['2', '-1']) {
      const reply = await e2e.call('GET', `/api/v1.0/tasks/${deployed.task_id}?layers=${layers}`);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.init_task_id, deployed.task_id);
      const subtasks = deployed.subtask_id_list.map((id) => reply.body[id]);
      assert.deepEqual(subtasks.map((sub: any) => sub.node_filter.filter_set[0].node_names[0]).sort(), [...GOOD_NODES]);
      for (const sub of subtasks) assert.deepEqual([sub.parent_task_id, sub.status, sub.result.status, sub.action], [deployed.task_id, 'complete', 'success', 'deploy_nodes']);
      assert.equal(Object.keys(reply.body).length, 4, 'init_task_id, the task and its two node tasks');
    }
  });

  it('collected build data from the nodes second stage, by task and by node', async () => {
    const byTask = await e2e.call('GET', `/api/v1.0/tasks/${deployed.task_id}/builddata`);
    assert.equal(byTask.status, 200, JSON.stringify(byTask.body));
    assert.deepEqual([...new Set(byTask.body.map((record: { node_name: string }) => record.node_name))].sort(), [...GOOD_NODES]);
    for (const record of byTask.body) {
      assert.equal(record.generator, 'lshw');
      assert.equal(record.data_format, 'application/json');
      assert.ok(deployed.subtask_id_list.includes(record.task_id));
      assert.equal(typeof JSON.parse(record.data_element), 'object');
    }
    for (const node of GOOD_NODES) {
      const latest = await e2e.call('GET', `/api/v1.0/nodes/${node}/builddata?latest=true`);
      assert.equal(latest.status, 200);
      assert.equal(latest.body.length, 1, 'the newest record of its one generator');
      assert.equal(latest.body[0].node_name, node);
    }
  });

  it('deploys the same design again without imaging the nodes again', async () => {
    const before = await Promise.all(GOOD_NODES.map((node) => e2e.imagings(node, 'ubuntu')));
    const again = await e2e.finished((await e2e.createTask('deploy_nodes', GOOD_NODES)).task_id);
    assert.equal(again.result.status, 'success', JSON.stringify(again.result));
    assert.deepEqual([...again.result.successes].sort(), [...GOOD_NODES]);
    const messages = (await e2e.nodeMessages(again.task_id)).join('\n');
    for (const node of GOOD_NODES) assert.match(messages, new RegExp(`node ${node} is deployed with file://sim-lab.yaml \\(image ubuntu\\) already: not imaged again`));
    const after = await Promise.all(GOOD_NODES.map((node) => e2e.imagings(node, 'ubuntu')));
    assert.deepEqual(
      after.map((boots) => boots.length),
      before.map((boots) => boots.length),
    );
    for (const node of GOOD_NODES) assert.ok(again.subtask_id_list.includes((await e2e.device(node)).held_by?.replace('deployment ', '') ?? ''), 'the new deploy holds the node');
  });
});
