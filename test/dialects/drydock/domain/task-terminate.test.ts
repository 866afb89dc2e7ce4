import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskDecider, type TaskEvent } from '../../../../src/dialects/drydock/domain/task-decider.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const nodeTask: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId: 'sub', action: 'deploy_nodes', designRef: 'file://sim', nodeFilter: null, parentTaskId: 'parent', node: 'n1', createdBy: 'ops', atMs: T0 },
};
const parent: TaskEvent = { ...nodeTask, data: { ...nodeTask.data, taskId: 'parent', parentTaskId: null, node: null } };
const started: TaskEvent = { type: 'TaskStarted', data: { atMs: T0 } };
const terminating: TaskEvent = { type: 'TaskTerminationRequested', data: { by: 'demo', atMs: T0 + 1 } };

describe('task decider: terminating a node task', () => {
  it('fails a node cut short before it had a result: the task ends terminated with failure, not success', () => {
    givenDecider(taskDecider)
      .given(nodeTask, started, terminating)
      .when({ type: 'Complete', nowMs: T0 + 2 })
      .thenEvents([
        { type: 'TaskNodeFailed', data: { node: 'n1', message: 'node n1: task terminated by demo before the node had a result', atMs: T0 + 2 } },
        { type: 'TaskCompleted', data: { status: 'terminated', result: 'failure', message: null, atMs: T0 + 2 } },
      ])
      .thenState((state) => assert.deepEqual([state.status, state.result.failures, state.result.successes], ['terminated', ['n1'], []]));
  });

  it('keeps a node that succeeded before the termination: it was deployed', () => {
    givenDecider(taskDecider)
      .given(nodeTask, started, { type: 'TaskNodeSucceeded', data: { node: 'n1', message: 'deployed', atMs: T0 + 1 } }, terminating)
      .when({ type: 'Complete', nowMs: T0 + 2 })
      .thenEvents([{ type: 'TaskCompleted', data: { status: 'terminated', result: 'success', message: null, atMs: T0 + 2 } }]);
  });

  it('names a node waiting for bootactions once, by the actions that did not report', () => {
    const awaited: TaskEvent = { type: 'TaskBootactionsAwaited', data: { node: 'n1', actions: [{ actionId: 'A', name: 'operator-check' }], untilMs: T0 + 60_000, atMs: T0 + 1 } };
    givenDecider(taskDecider)
      .given(nodeTask, started, awaited, terminating)
      .when({ type: 'Complete', nowMs: T0 + 2 })
      .thenEvents([
        { type: 'TaskNodeFailed', data: { node: 'n1', message: 'bootaction operator-check did not report before the task ended', atMs: T0 + 2 } },
        { type: 'TaskCompleted', data: { status: 'terminated', result: 'failure', message: null, atMs: T0 + 2 } },
      ]);
  });

  it('adds no node to a terminated parent task, and a node task that merely completes is untouched', () => {
    givenDecider(taskDecider)
      .given(parent, started, terminating)
      .when({ type: 'Complete', nowMs: T0 + 2 })
      .thenEventTypes('TaskCompleted')
      .thenState((state) => assert.deepEqual([state.status, state.result.failures], ['terminated', []]));
    givenDecider(taskDecider)
      .given(nodeTask, started)
      .when({ type: 'Complete', nowMs: T0 + 2 })
      .thenEventTypes('TaskCompleted');
  });
});
