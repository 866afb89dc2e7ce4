import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskDecider, type TaskEvent } from '../../../../src/dialects/drydock/domain/task-decider.js';
import { toTaskDict } from '../../../../src/dialects/drydock/domain/task-dict.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const ID = '3f0c1d6e-0a4b-4c55-9a77-5b1c0f7f6a01';
const filter = { filter_set_type: 'intersection', filter_set: [{ filter_type: 'union', node_tags: ['arm'], rack_names: ['r1'] }] } as const;
const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId: ID, action: 'deploy_nodes', designRef: 'file://sim.yaml', nodeFilter: filter, parentTaskId: null, node: null, createdBy: 'ops', atMs: T0 },
};

describe('task dict', () => {
  it('renders a new task: queued, incomplete, empty lists, updated = created', () => {
    const { state } = givenDecider(taskDecider).given(created);
    assert.deepStrictEqual(toTaskDict(state), {
      kind: 'Task',
      apiVersion: 'v1',
      task_id: ID,
      action: 'deploy_nodes',
      parent_task_id: null,
      design_ref: 'file://sim.yaml',
      status: 'queued',
      node_filter: { filter_set_type: 'intersection', filter_set: [{ filter_type: 'union', node_tags: ['arm'], rack_names: ['r1'] }] },
      subtask_id_list: [],
      created: '2030-01-01T12:00:00.000Z',
      created_by: 'ops',
      updated: '2030-01-01T12:00:00.000Z',
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
        links: [],
        details: { errorCount: 0, messageList: [] },
      },
    });
  });

  it('renders a finished parent: subtasks, nodes, messages with ts and extra, error count and links', () => {
    const { state } = givenDecider(taskDecider)
      .given(
        created,
        { type: 'TaskStarted', data: { atMs: T0 + 1_000 } },
        {
          type: 'TaskSubtasksAdded',
          data: {
            subtasks: [
              { taskId: 's1', node: 'sim-0001' },
              { taskId: 's2', node: 'sim-0002' },
            ],
            atMs: T0 + 2_000,
          },
        },
        { type: 'TaskSubtaskEnded', data: { subtaskId: 's1', node: 'sim-0001', status: 'success', messages: [], atMs: T0 + 60_000 } },
        {
          type: 'TaskSubtaskEnded',
          data: {
            subtaskId: 's2',
            node: 'sim-0002',
            status: 'failure',
            messages: [{ message: 'bootaction operator-check timed out', error: true, context_type: 'node', context: 'sim-0002', extra: {}, atMs: T0 + 90_000 }],
            atMs: T0 + 90_500,
          },
        },
        { type: 'TaskMessagesAdded', data: { messages: [{ message: 'note', error: false, context_type: 'task', context: ID, extra: { k: 1 }, atMs: T0 + 91_000 }], atMs: T0 + 91_000 } },
      )
      .when({ type: 'Complete', message: 'deploy done', nowMs: T0 + 100_000 });
    const links = [{ rel: 'detail_logs', href: 'http://127.0.0.1:8080/api/v1.0/tasks/x/builddata' }];
    assert.deepStrictEqual(toTaskDict(state, links), {
      kind: 'Task',
      apiVersion: 'v1',
      task_id: ID,
      action: 'deploy_nodes',
      parent_task_id: null,
      design_ref: 'file://sim.yaml',
      status: 'complete',
      node_filter: { filter_set_type: 'intersection', filter_set: [{ filter_type: 'union', node_tags: ['arm'], rack_names: ['r1'] }] },
      subtask_id_list: ['s1', 's2'],
      created: '2030-01-01T12:00:00.000Z',
      created_by: 'ops',
      updated: '2030-01-01T12:01:40.000Z',
      terminated: null,
      terminated_by: null,
      terminate: false,
      retry: 0,
      result: {
        kind: 'Status',
        apiVersion: 'v1.0',
        message: 'deploy done',
        reason: null,
        status: 'partial_success',
        successes: ['sim-0001'],
        failures: ['sim-0002'],
        links: [{ rel: 'detail_logs', href: 'http://127.0.0.1:8080/api/v1.0/tasks/x/builddata' }],
        details: {
          errorCount: 1,
          messageList: [
            { message: 'bootaction operator-check timed out', error: true, context_type: 'node', context: 'sim-0002', ts: '2030-01-01T12:01:30.000Z', extra: {} },
            { message: 'note', error: false, context_type: 'task', context: ID, ts: '2030-01-01T12:01:31.000Z', extra: { k: 1 } },
          ],
        },
      },
    });
  });

  it('renders a terminated subtask: parent, terminate, terminated_by and terminated time', () => {
    const subtask: TaskEvent = {
      type: 'TaskCreated',
      data: { taskId: 's1', action: 'deploy_nodes', designRef: 'labpool:inventory', nodeFilter: null, parentTaskId: ID, node: 'sim-0001', createdBy: 'ops', atMs: T0 },
    };
    const { state } = givenDecider(taskDecider)
      .given(subtask, { type: 'TaskStarted', data: { atMs: T0 } }, { type: 'TaskTerminationRequested', data: { by: 'admin', atMs: T0 + 5_000 } })
      .when({ type: 'Complete', nowMs: T0 + 6_000 });
    const dict = toTaskDict(state);
    assert.deepStrictEqual(
      {
        parent_task_id: dict.parent_task_id,
        node_filter: dict.node_filter,
        status: dict.status,
        terminate: dict.terminate,
        terminated_by: dict.terminated_by,
        terminated: dict.terminated,
        updated: dict.updated,
        result: dict.result.status,
      },
      {
        parent_task_id: ID,
        node_filter: null,
        status: 'terminated',
        terminate: true,
        terminated_by: 'admin',
        terminated: '2030-01-01T12:00:06.000Z',
        updated: '2030-01-01T12:00:06.000Z',
        result: 'success',
      },
    );
  });

  it('is plain JSON: it survives a round trip unchanged', () => {
    const { state } = givenDecider(taskDecider).given(created);
    const dict = toTaskDict(state);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(dict)), dict);
  });
});
