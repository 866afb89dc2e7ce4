import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestInventory, type TestLab } from '../../../support/lab-harness.js';
import { createTokenOf, send, startLabWithUsers, tokenHeader } from '../../../support/locked-lab.js';
import { openSse } from '../../../support/sse-client.js';
import { waitFor } from '../../../support/wait-for.js';

type NodeEntry = { name: string; task_id: string; status: string; result: string; message: string | null; updated: string | null };
type TaskEntry = {
  task_id: string;
  action: string;
  status: string;
  result: string;
  message: string | null;
  design_ref: string;
  created_by: string;
  created: string;
  updated: string | null;
  nodes: NodeEntry[];
};
type TaskList = { total: number; tasks: TaskEntry[] };

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const nodeFilter = (...names: string[]) => ({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: names }] });

describe('GET /labpool/tasks/: the dashboard’s list of Drydock tasks', { timeout: 60_000 }, () => {
  let lab: TestLab;
  let token: string;
  /** Task ids in the order they were created. */
  const created: string[] = [];
  const list = async (query = '') => (await send(lab.url, 'GET', `/labpool/tasks/${query}`)) as { status: number; headers: Headers; body: TaskList };

  async function createTask(action: string, body: Record<string, unknown> = {}): Promise<string> {
    const reply = await send(lab.url, 'POST', '/api/v1.0/tasks', { headers: tokenHeader(token), body: { action, design_ref: 'labpool:inventory', ...body } });
    assert.equal(reply.status, 201, reply.text);
    const id = reply.body.task_id as string;
    created.push(id);
    await waitFor(async () => (await send(lab.url, 'GET', `/api/v1.0/tasks/${id}`, { headers: tokenHeader(token) })).body?.status === 'complete');
    return id;
  }

  before(async () => {
    lab = await startLabWithUsers(createTestInventory(3));
    token = await createTokenOf(lab.url, 'otto');
  });
  after(async () => {
    await lab?.labpool.stop();
  });

  it('answers an empty list before any task, without a token', async () => {
    const reply = await list();
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { total: 0, tasks: [] });
  });

  it('lists a task with its nodes, each with its node task’s status and result', async () => {
    await createTask('validate_design');
    const relabel = await createTask('relabel_nodes', { node_filter: nodeFilter('panda-0002', 'panda-0001') });
    const { body } = await list();
    const task = body.tasks[0];
    assert.ok(task !== undefined);
    const { created: createdAt, updated, nodes, ...rest } = task;
    assert.deepEqual(rest, {
      task_id: relabel,
      action: 'relabel_nodes',
      status: 'complete',
      result: 'success',
      message: null,
      design_ref: 'labpool:inventory',
      created_by: 'otto',
    });
    assert.match(createdAt, ISO_UTC);
    assert.match(updated ?? '', ISO_UTC);
    assert.ok(Date.parse(updated ?? '') >= Date.parse(createdAt));
    // The nodes in the order the filter selected them, each naming its own node task.
    const drydock = (await send(lab.url, 'GET', `/api/v1.0/tasks/${relabel}`, { headers: tokenHeader(token) })).body as { subtask_id_list: string[] };
    assert.deepEqual(
      nodes.map((node) => [node.name, node.task_id, node.status, node.result]),
      drydock.subtask_id_list.map((id, i) => [nodes[i]?.name, id, 'complete', 'success']),
    );
    assert.deepEqual(nodes.map((node) => node.name).sort(), ['panda-0001', 'panda-0002']);
    for (const node of nodes) {
      assert.equal(node.message, `node ${node.name} labels: none`);
      assert.match(node.updated ?? '', ISO_UTC);
    }
  });

  it('lists the newest first, node tasks only as nodes, and counts every task in total', async () => {
    await createTask('relabel_nodes', { node_filter: nodeFilter('panda-0003') });
    const { body } = await list();
    assert.equal(body.total, 3);
    assert.deepEqual(
      body.tasks.map((task) => task.task_id),
      [...created].reverse(),
    );
    assert.deepEqual(
      body.tasks.map((task) => task.nodes.length),
      [1, 2, 0],
    );
    // Drydock's own list has the node tasks as tasks of their own: 3 parents, 3 node tasks.
    const all = (await send(lab.url, 'GET', '/api/v1.0/tasks', { headers: tokenHeader(token) })).body as unknown[];
    assert.equal(all.length, 6);
  });

  it('answers at most `limit` tasks, the newest', async () => {
    const one = await list('?limit=1');
    assert.equal(one.status, 200);
    assert.deepEqual(
      one.body.tasks.map((task) => task.task_id),
      [created[2]],
    );
    assert.equal(one.body.total, 3);
    assert.deepEqual(
      (await list('?limit=2')).body.tasks.map((task) => task.task_id),
      [created[2], created[1]],
    );
    assert.equal((await list('?limit=200')).body.tasks.length, 3);
  });

  it('answers a bad limit with a 400 in problem+json', async () => {
    for (const limit of ['0', '201', '-1', 'abc', '1.5', '', '1e2', '%20', '99999999999']) {
      const reply = await send(lab.url, 'GET', `/labpool/tasks/?limit=${limit}`);
      assert.equal(reply.status, 400, `limit=${limit}`);
      assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/, `limit=${limit}`);
      assert.equal(reply.body.status, 400);
      assert.match(reply.body.detail, /limit must be an integer from 1 to 200/);
    }
  });

  it('keeps every task’s stream in the audit: its events replayed at /api/task/{id}/history/', async () => {
    const [parent] = (await list('?limit=1')).body.tasks;
    const history = (await send(lab.url, 'GET', `/api/task/${parent?.task_id}/history/`)).body as { history: { type: string }[] };
    assert.deepEqual(
      history.history.map((event) => event.type),
      ['TaskCreated', 'TaskStarted', 'TaskSubtasksAdded', 'TaskSubtaskEnded', 'TaskCompleted'],
    );
    const node = (await send(lab.url, 'GET', `/api/task/${parent?.nodes[0]?.task_id}/history/`)).body as { history: { type: string }[] };
    assert.deepEqual(
      node.history.map((event) => event.type),
      ['TaskCreated', 'TaskStarted', 'TaskNodeSucceeded', 'TaskCompleted'],
    );
  });

  it('sends task events on the event tail, selected by their category', async () => {
    const tail = await openSse(`${lab.url}/api/events/?category=task`);
    try {
      assert.equal(tail.status, 200);
      const id = await createTask('validate_design');
      const events = await tail.takeUntil((event) => event.stream === `task-${id}` && event.type === 'TaskCompleted');
      assert.ok(events.every((event) => event.stream.startsWith('task-')));
      assert.deepEqual(
        events.map((event) => event.type),
        ['TaskCreated', 'TaskStarted', 'TaskMessagesAdded', 'TaskCompleted'],
      );
    } finally {
      tail.close();
    }
  });
});
