import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TaskDict } from '../../../../src/dialects/drydock/domain/task-dict.js';
import { assertDrydockError, byNames, createTask, GOOD_DESIGN, isOver, startDrydockHttpLab, waitForTask, type DrydockHttpLab } from './drydock-http-harness.js';

const UNKNOWN_UUID = '6f1d2c3b-4a59-4e68-8d7c-1b2a3c4d5e6f';
const FACTS = { id: 'panda-0004', class: 'system', children: [{ id: 'cpu', class: 'processor', configuration: { cores: '8' } }] };

describe('Drydock over HTTP: showing, terminating and build data of tasks', () => {
  let lab: DrydockHttpLab;
  /** relabel_nodes over two nodes: both succeed at once. */
  let relabel: TaskDict;
  /** destroy_nodes over one node without an erase image in the lab: its node task fails. */
  let destroy: TaskDict;
  const show = (id: string, query = '') => lab.call('GET', `/api/v1.0/tasks/${id}${query}`, { token: lab.tokens.user });

  before(async () => {
    lab = await startDrydockHttpLab();
    relabel = await waitForTask(lab, (await createTask(lab, { action: 'relabel_nodes', design_ref: GOOD_DESIGN, node_filter: byNames('panda-0001', 'panda-0002') })).task_id, isOver);
    destroy = await waitForTask(lab, (await createTask(lab, { action: 'destroy_nodes', design_ref: GOOD_DESIGN, node_filter: byNames('panda-0003') })).task_id, isOver);
  });
  after(async () => lab?.stop());

  it('lists the node tasks of a node action, and each node in successes or failures', async () => {
    assert.deepEqual([relabel.status, relabel.result.status, [...relabel.result.successes].sort(), relabel.result.failures], ['complete', 'success', ['panda-0001', 'panda-0002'], []]);
    assert.equal(relabel.subtask_id_list.length, 2);
    assert.deepEqual([destroy.result.status, destroy.result.successes, destroy.result.failures], ['failure', [], ['panda-0003']]);
    const [nodeTaskId] = destroy.subtask_id_list;
    const nodeTask = (await show(nodeTaskId!)).body as TaskDict;
    assert.deepEqual([nodeTask.parent_task_id, nodeTask.action, nodeTask.node_filter], [destroy.task_id, 'destroy_nodes', byNames('panda-0003')]);
    assert.match(nodeTask.result.details.messageList.find((message) => message.error)?.message ?? '', /erase image erase is not known/);
    // A destroy that could not start left the node as it was: free, not held by the failed task.
    const nodes = (await lab.call('GET', '/api/v1.0/nodes', { token: lab.tokens.user })).body as { hostname: string; status_name: string }[];
    assert.equal(nodes.find((node) => node.hostname === 'panda-0003')?.status_name, 'Ready');
    assert.equal(lab.lab.labpool.lab.context.readModels.devices.get('panda-0003')?.holder, null);
  });

  it('answers ?layers=1 with the task alone, 2 and -1 with its node tasks, keyed by id', async () => {
    const [a, b] = relabel.subtask_id_list;
    const one = await show(relabel.task_id, '?layers=1');
    assert.equal(one.status, 200);
    assert.deepEqual(Object.keys(one.body).sort(), ['init_task_id', relabel.task_id].sort());
    assert.equal(one.body.init_task_id, relabel.task_id);
    assert.deepEqual(one.body[relabel.task_id], (await show(relabel.task_id)).body);
    for (const layers of ['2', '-1']) {
      const reply = await show(relabel.task_id, `?layers=${layers}`);
      assert.deepEqual(Object.keys(reply.body).sort(), ['init_task_id', relabel.task_id, a!, b!].sort(), layers);
      assert.deepEqual(reply.body[a!], (await show(a!)).body);
      assert.equal(reply.body[b!].parent_task_id, relabel.task_id);
    }
    // No layers, 0 or a value that is no integer: the plain task dict.
    for (const query of ['', '?layers=0', '?layers=abc']) assert.equal((await show(relabel.task_id, query)).body.task_id, relabel.task_id, query);
  });

  it('answers ?subtaskerrors=true with the result of each node task that has errors', async () => {
    const [failed] = destroy.subtask_id_list;
    const reply = await show(destroy.task_id, '?subtaskerrors=true');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.task_id, destroy.task_id);
    assert.deepEqual(Object.keys(reply.body.subtask_errors), [failed]);
    const nodeTask = (await show(failed!)).body as TaskDict;
    assert.deepEqual(reply.body.subtask_errors[failed!], { ...nodeTask.result, task_id: failed });
    assert.deepEqual((await show(relabel.task_id, '?subtaskerrors=True')).body.subtask_errors, {});
    const layered = await show(destroy.task_id, '?layers=2&subtaskerrors=true');
    assert.deepEqual([layered.body.init_task_id, Object.keys(layered.body.subtask_errors)], [destroy.task_id, [failed]]);
    assert.equal((await show(destroy.task_id, '?subtaskerrors=false')).body.subtask_errors, undefined);
  });

  it('refuses builddata or subtaskerrors that are no boolean with 400', async () => {
    for (const query of ['?subtaskerrors=maybe', '?builddata=2', '?builddata=']) {
      assertDrydockError(await show(relabel.task_id, query), 400, /parameter is invalid: the value must be a boolean/);
    }
  });

  it('answers 404 to an unknown or malformed task id, on every task route', async () => {
    for (const id of [UNKNOWN_UUID, 'not-a-uuid', `${UNKNOWN_UUID}x`, '1']) {
      assertDrydockError(await show(id), 404, new RegExp(`^Task ${id} does not exist$`));
      assertDrydockError(await show(id, '/builddata'), 404, /^No build data found$/);
      assertDrydockError(await lab.call('DELETE', `/api/v1.0/tasks/${id}`, { token: lab.tokens.operator }), 404, /does not exist/);
    }
    assert.equal((await show(relabel.task_id.toUpperCase())).body.task_id, relabel.task_id, 'ids are case-insensitive');
  });

  it('collects a held node’s facts as the task’s build data, then terminates the task on DELETE', async () => {
    lab.lab.fake.power.set('panda-0004', 'hang');
    const verify = await createTask(lab, { action: 'verify_nodes', design_ref: GOOD_DESIGN, node_filter: byNames('panda-0004') });
    const running = await waitForTask(lab, verify.task_id, (task) => task.subtask_id_list.length === 1 && task.status === 'running');
    const [nodeTaskId] = running.subtask_id_list;
    await waitForTask(lab, nodeTaskId!, (task) => task.result.details.messageList.some((message) => message.message.includes('self-testing panda-0004')));
    assertDrydockError(await show(verify.task_id, '/builddata'), 404, /^No build data found$/);
    const facts = await lab.call('POST', '/labpool/devices/panda-0004/facts', { body: { facts: FACTS } });
    assert.equal(facts.status, 200, facts.text);

    const records = await show(verify.task_id, '/builddata/');
    assert.equal(records.status, 200, records.text);
    assert.deepEqual(
      records.body.map(({ collected_date: _date, ...record }: Record<string, unknown>) => record),
      [{ node_name: 'panda-0004', generator: 'lshw', task_id: nodeTaskId, data_format: 'application/json', data_element: JSON.stringify(FACTS) }],
    );
    const withData = await show(verify.task_id, '?builddata=true&layers=2');
    assert.deepEqual([withData.body[verify.task_id].build_data, withData.body[nodeTaskId!].build_data], [[], records.body]);

    const deleted = await lab.call('DELETE', `/api/v1.0/tasks/${verify.task_id}/`, { token: lab.tokens.operator });
    assert.equal(deleted.status, 200, deleted.text);
    assert.deepEqual([deleted.body.task_id, deleted.body.terminate, deleted.body.terminated_by], [verify.task_id, true, 'otto']);
    assert.ok(['terminating', 'terminated'].includes(deleted.body.status), deleted.body.status);
    const ended = await waitForTask(lab, verify.task_id, isOver);
    assert.deepEqual([ended.status, ended.terminated_by], ['terminated', 'otto']);
    assert.match(String(ended.terminated), /Z$/);
    assert.equal((await show(nodeTaskId!)).body.status, 'terminated');
    assertDrydockError(await lab.call('DELETE', `/api/v1.0/tasks/${verify.task_id}`, { token: lab.tokens.admin }), 409, /./);
  });
});
