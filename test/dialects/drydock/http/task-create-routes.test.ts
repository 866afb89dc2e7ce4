import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TaskDict } from '../../../../src/dialects/drydock/domain/task-dict.js';
import { assertDrydockError, BAD_DESIGN, byNames, createTask, GOOD_DESIGN, isOver, startDrydockHttpLab, waitForTask, type DrydockHttpLab } from './drydock-http-harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('Drydock over HTTP: POST /api/v1.0/tasks', () => {
  let lab: DrydockHttpLab;
  before(async () => (lab = await startDrydockHttpLab()));
  after(async () => lab?.stop());

  const taskCount = async () => ((await lab.call('GET', '/api/v1.0/tasks', { token: lab.tokens.user })).body as unknown[]).length;

  it('answers 201, a Location naming the task, and the queued task dict', async () => {
    const reply = await lab.call('POST', '/api/v1.0/tasks', { token: lab.tokens.operator, body: { action: 'validate_design', design_ref: GOOD_DESIGN } });
    assert.equal(reply.status, 201, reply.text);
    const task = reply.body as TaskDict;
    assert.match(task.task_id, UUID);
    assert.equal(reply.headers.get('location'), `/api/v1.0/tasks/${task.task_id}`);
    assert.match(String(task.created), ISO_UTC);
    assert.deepEqual(
      { ...task, created: 'ISO', updated: 'ISO' },
      {
        kind: 'Task',
        apiVersion: 'v1',
        task_id: task.task_id,
        action: 'validate_design',
        parent_task_id: null,
        design_ref: GOOD_DESIGN,
        status: 'queued',
        node_filter: null,
        subtask_id_list: [],
        created: 'ISO',
        created_by: 'otto',
        updated: 'ISO',
        terminated: null,
        terminated_by: null,
        terminate: false,
        retry: 0,
        result: {
          kind: 'Status',
          apiVersion: 'v1.0',
          message: null,
          reason: null,
          status: 'incomplete',
          successes: [],
          failures: [],
          links: [{ rel: 'self', href: `/api/v1.0/tasks/${task.task_id}` }],
          details: { errorCount: 0, messageList: [] },
        },
      },
    );
    const shown = await lab.call('GET', reply.headers.get('location')!, { token: lab.tokens.user });
    assert.deepEqual([shown.status, shown.body.task_id], [200, task.task_id]);
  });

  it('runs validate_design to complete, success, each check a design message', async () => {
    const created = await createTask(lab, { action: 'validate_design', design_ref: GOOD_DESIGN, node_filter: null });
    const task = await waitForTask(lab, created.task_id, isOver);
    assert.deepEqual([task.status, task.result.status, task.result.message, task.result.details.errorCount], ['complete', 'success', `design ${GOOD_DESIGN} is valid`, 0]);
    assert.ok(task.result.details.messageList.length > 0);
    for (const message of task.result.details.messageList) {
      assert.deepEqual([message.error, message.context_type, message.context], [false, 'design', GOOD_DESIGN]);
      assert.match(message.ts, ISO_UTC);
    }
  });

  it('takes a design_ref naming a missing or invalid design, and the task fails saying why', async () => {
    for (const [designRef, why] of [
      ['file://missing.yaml', /no design file "missing\.yaml"/],
      [BAD_DESIGN, /windows/],
    ] as const) {
      const created = await createTask(lab, { action: 'deploy_nodes', design_ref: designRef, node_filter: byNames('panda-0001') });
      const task = await waitForTask(lab, created.task_id, isOver);
      assert.deepEqual([task.status, task.result.status, task.subtask_id_list], ['complete', 'failure', []], designRef);
      assert.equal(task.result.message, `design ${designRef} is not valid`);
      const errors = task.result.details.messageList.filter((message) => message.error);
      assert.equal(task.result.details.errorCount, errors.length);
      assert.ok(
        errors.some((message) => why.test(message.message) && message.context === designRef),
        JSON.stringify(errors),
      );
    }
  });

  it('fails a deploy of labpool:inventory on a node never imaged, saying so', async () => {
    const created = await createTask(lab, { action: 'deploy_nodes', design_ref: 'labpool:inventory', node_filter: byNames('panda-0001') });
    const task = await waitForTask(lab, created.task_id, isOver);
    assert.deepEqual([task.result.status, task.result.failures], ['failure', ['panda-0001']]);
    const errors = task.result.details.messageList.filter((message) => message.error).map((message) => message.message);
    assert.deepEqual(errors, ['node panda-0001 has no image yet and design labpool:inventory names none for it: use a design with a default_image']);
  });

  it('accepts the trailing slash and every action Drydock lists', async () => {
    for (const action of ['validate_design', 'verify_site', 'prepare_site', 'verify_nodes', 'prepare_nodes', 'deploy_nodes', 'destroy_nodes', 'relabel_nodes']) {
      // A filter that selects no node: node actions complete at once, touching nothing.
      const reply = await lab.call('POST', '/api/v1.0/tasks/', { token: lab.tokens.admin, body: { action, design_ref: GOOD_DESIGN, node_filter: byNames('nobody') } });
      assert.deepEqual([reply.status, reply.body.action, reply.body.status], [201, action, 'queued'], reply.text);
      await waitForTask(lab, reply.body.task_id, isOver);
    }
  });

  it('refuses an unknown or missing action, a missing design_ref and a bad node_filter with 400, creating nothing', async () => {
    const before = await taskCount();
    const filter = (node_filter: unknown) => ({ action: 'deploy_nodes', design_ref: GOOD_DESIGN, node_filter });
    const cases: [unknown, RegExp][] = [
      [{ action: 'reboot_nodes', design_ref: GOOD_DESIGN }, /^Unsupported action reboot_nodes$/],
      [{ action: 'DEPLOY_NODES', design_ref: GOOD_DESIGN }, /^Unsupported action DEPLOY_NODES$/],
      [{ design_ref: GOOD_DESIGN }, /^Unsupported action null$/],
      [{ action: 7, design_ref: GOOD_DESIGN }, /^Unsupported action 7$/],
      [{ action: 'deploy_nodes' }, /requires fields design_ref, action/],
      [{ action: 'deploy_nodes', design_ref: '' }, /requires fields design_ref, action/],
      [{ action: 'deploy_nodes', design_ref: ['file://good.yaml'] }, /requires fields design_ref, action/],
      [filter('all'), /node_filter/],
      [filter({ filter_set_type: 'any', filter_set: [] }), /filter_set_type/],
      [filter({ filter_set_type: 'union' }), /filter_set/],
      [filter({ filter_set_type: 'union', filter_set: [{ filter_type: 'xor' }] }), /filter_set\[0\]\.filter_type/],
      [filter({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: 'panda-0001' }] }), /node_names/],
      [filter({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_labels: ['role=compute'] }] }), /node_labels/],
    ];
    for (const [body, message] of cases) assertDrydockError(await lab.call('POST', '/api/v1.0/tasks', { token: lab.tokens.operator, body }), 400, message);
    assert.equal(await taskCount(), before);
  });

  it('lists every task as a full task dict', async () => {
    const created = await createTask(lab, { action: 'prepare_site', design_ref: GOOD_DESIGN });
    await waitForTask(lab, created.task_id, isOver);
    const reply = await lab.call('GET', '/api/v1.0/tasks/', { token: lab.tokens.user });
    assert.equal(reply.status, 200);
    const tasks = reply.body as TaskDict[];
    const listed = tasks.find((task) => task.task_id === created.task_id);
    assert.deepEqual(listed, (await lab.call('GET', `/api/v1.0/tasks/${created.task_id}`, { token: lab.tokens.user })).body);
    assert.deepEqual([listed?.status, listed?.result.status, listed?.created_by], ['complete', 'success', 'otto']);
    for (const task of tasks) assert.deepEqual([task.kind, task.apiVersion, typeof task.result.details.errorCount], ['Task', 'v1', 'number']);
  });
});
