import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskDecider, type TaskEvent } from '../../../../src/dialects/drydock/domain/task-decider.js';
import type { TaskMessage } from '../../../../src/dialects/drydock/domain/task-events.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const ID = '3f0c1d6e-0a4b-4c55-9a77-5b1c0f7f6a01';
const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId: ID, action: 'deploy_nodes', designRef: 'labpool:inventory', nodeFilter: null, parentTaskId: null, node: null, createdBy: 'ops', atMs: T0 },
};
const started: TaskEvent = { type: 'TaskStarted', data: { atMs: T0 } };
const added: TaskEvent = {
  type: 'TaskSubtasksAdded',
  data: {
    subtasks: [
      { taskId: 's1', node: 'sim-0001' },
      { taskId: 's2', node: 'sim-0002' },
    ],
    atMs: T0,
  },
};
const nodeMessage = (node: string, message: string, error: boolean, atMs: number): TaskMessage => ({ message, error, context_type: 'node', context: node, extra: {}, atMs });

describe('task decider: subtasks and messages', () => {
  it('adds subtasks in order, each once, and a repeat adds nothing', () => {
    givenDecider(taskDecider)
      .given(created, started)
      .when({
        type: 'AddSubtasks',
        subtasks: [
          { taskId: 's1', node: 'sim-0001' },
          { taskId: 's2', node: 'sim-0002' },
          { taskId: 's1', node: 'sim-0001' },
        ],
        nowMs: T0,
      })
      .thenEvents([added])
      .when({
        type: 'AddSubtasks',
        subtasks: [
          { taskId: 's3', node: 'sim-0003' },
          { taskId: 's2', node: 'sim-0002' },
        ],
        nowMs: T0 + 1,
      })
      .thenEvents([{ type: 'TaskSubtasksAdded', data: { subtasks: [{ taskId: 's3', node: 'sim-0003' }], atMs: T0 + 1 } }])
      .thenState((state) =>
        assert.deepEqual(
          state.subtasks.map((subtask) => subtask.taskId),
          ['s1', 's2', 's3'],
        ),
      )
      .when({ type: 'AddSubtasks', subtasks: [{ taskId: 's1', node: 'sim-0001' }], nowMs: T0 + 2 })
      .thenNothing();
  });

  it('stamps messages with the time and an empty extra unless given; an empty list adds nothing', () => {
    givenDecider(taskDecider)
      .given(created)
      .when({
        type: 'AddMessages',
        messages: [
          { message: 'design loaded', error: false, context_type: 'task', context: ID },
          { message: 'no image', error: true, context_type: 'node', context: 'sim-0001', extra: { image: 'x' } },
        ],
        nowMs: T0 + 7,
      })
      .thenEvents([
        {
          type: 'TaskMessagesAdded',
          data: {
            messages: [
              { message: 'design loaded', error: false, context_type: 'task', context: ID, extra: {}, atMs: T0 + 7 },
              { message: 'no image', error: true, context_type: 'node', context: 'sim-0001', extra: { image: 'x' }, atMs: T0 + 7 },
            ],
            atMs: T0 + 7,
          },
        },
      ])
      .when({ type: 'AddMessages', messages: [], nowMs: T0 + 8 })
      .thenNothing();
  });
});

describe('task decider: node results', () => {
  it('lands nodes in successes and failures with a node message each', () => {
    givenDecider(taskDecider)
      .given(created, started)
      .when({ type: 'NodeSucceeded', node: 'sim-0001', message: 'deployed', nowMs: T0 + 1 })
      .thenEvents([{ type: 'TaskNodeSucceeded', data: { node: 'sim-0001', message: 'deployed', atMs: T0 + 1 } }])
      .when({ type: 'NodeFailed', node: 'sim-0002', message: 'power failed', nowMs: T0 + 2 })
      .thenEvents([{ type: 'TaskNodeFailed', data: { node: 'sim-0002', message: 'power failed', atMs: T0 + 2 } }])
      .thenState((state) => {
        assert.deepEqual([state.result.successes, state.result.failures], [['sim-0001'], ['sim-0002']]);
        assert.deepEqual(state.result.messages, [nodeMessage('sim-0001', 'deployed', false, T0 + 1), nodeMessage('sim-0002', 'power failed', true, T0 + 2)]);
      });
  });

  it('a failed node never moves to successes: a later success changes nothing', () => {
    givenDecider(taskDecider)
      .given(created, started, { type: 'TaskNodeFailed', data: { node: 'sim-0001', message: 'power failed', atMs: T0 } })
      .when({ type: 'NodeSucceeded', node: 'sim-0001', message: 'deployed', nowMs: T0 + 1 })
      .thenNothing();
  });

  it('a second success of a node changes nothing', () => {
    givenDecider(taskDecider)
      .given(created, started, { type: 'TaskNodeSucceeded', data: { node: 'sim-0001', message: 'deployed', atMs: T0 } })
      .when({ type: 'NodeSucceeded', node: 'sim-0001', message: 'again', nowMs: T0 + 1 })
      .thenNothing();
  });

  it('a failure after a success moves the node to failures; a second failure keeps it there once, with both messages', () => {
    givenDecider(taskDecider)
      .given(created, started, { type: 'TaskNodeSucceeded', data: { node: 'sim-0001', message: 'deployed', atMs: T0 } })
      .when({ type: 'NodeFailed', node: 'sim-0001', message: 'verify failed', nowMs: T0 + 1 })
      .when({ type: 'NodeFailed', node: 'sim-0001', message: 'still broken', nowMs: T0 + 2 })
      .thenEventTypes('TaskNodeFailed')
      .thenState((state) => {
        assert.deepEqual([state.result.successes, state.result.failures], [[], ['sim-0001']]);
        assert.deepEqual(
          state.result.messages.map((message) => [message.message, message.error]),
          [
            ['deployed', false],
            ['verify failed', true],
            ['still broken', true],
          ],
        );
      });
  });
});

describe('task decider: subtasks ending on the parent', () => {
  const subtaskMessages: TaskMessage[] = [
    { message: 'imaging started', error: false, context_type: 'node', context: 'sim-0002', extra: {}, atMs: T0 + 1 },
    { message: 'image failed', error: true, context_type: 'node', context: 'sim-0002', extra: {}, atMs: T0 + 2 },
  ];

  it('lands the node by the subtask status and copies only its errors, with their own times', () => {
    givenDecider(taskDecider)
      .given(created, started, added)
      .when({ type: 'SubtaskEnded', subtaskId: 's1', node: 'sim-0001', status: 'success', messages: [], nowMs: T0 + 3 })
      .thenEvents([{ type: 'TaskSubtaskEnded', data: { subtaskId: 's1', node: 'sim-0001', status: 'success', messages: [], atMs: T0 + 3 } }])
      .when({ type: 'SubtaskEnded', subtaskId: 's2', node: 'sim-0002', status: 'failure', messages: subtaskMessages, nowMs: T0 + 4 })
      .thenEvents([{ type: 'TaskSubtaskEnded', data: { subtaskId: 's2', node: 'sim-0002', status: 'failure', messages: [subtaskMessages[1]!], atMs: T0 + 4 } }])
      .thenState((state) => {
        assert.deepEqual([state.result.successes, state.result.failures], [['sim-0001'], ['sim-0002']]);
        assert.deepEqual(state.result.messages, [subtaskMessages[1]]);
        assert.deepEqual(state.endedSubtaskIds, ['s1', 's2']);
      });
  });

  it('counts a partial_success subtask as a failure of its node', () => {
    givenDecider(taskDecider)
      .given(created, started, added)
      .when({ type: 'SubtaskEnded', subtaskId: 's1', node: 'sim-0001', status: 'partial_success', messages: [], nowMs: T0 })
      .thenState((state) => assert.deepEqual(state.result.failures, ['sim-0001']));
  });

  it('takes a subtask end once, and refuses an unknown subtask or the wrong node', () => {
    const ended: TaskEvent = { type: 'TaskSubtaskEnded', data: { subtaskId: 's1', node: 'sim-0001', status: 'success', messages: [], atMs: T0 } };
    givenDecider(taskDecider)
      .given(created, started, added, ended)
      .when({ type: 'SubtaskEnded', subtaskId: 's1', node: 'sim-0001', status: 'failure', messages: [], nowMs: T0 + 1 })
      .thenNothing();
    givenDecider(taskDecider)
      .given(created, started, added)
      .when({ type: 'SubtaskEnded', subtaskId: 's9', node: 'sim-0001', status: 'success', messages: [], nowMs: T0 })
      .thenRejected('not_found', /no subtask s9/);
    givenDecider(taskDecider)
      .given(created, started, added)
      .when({ type: 'SubtaskEnded', subtaskId: 's1', node: 'sim-0002', status: 'success', messages: [], nowMs: T0 })
      .thenRejected('conflict', /works on sim-0001/);
  });
});
