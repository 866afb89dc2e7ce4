import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskDecider, type TaskEvent } from '../../../../src/dialects/drydock/domain/task-decider.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const UNTIL = T0 + 15 * 60_000;
const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId: 't', action: 'deploy_nodes', designRef: 'file://sim', nodeFilter: null, parentTaskId: null, node: null, createdBy: 'ops', atMs: T0 },
};
const started: TaskEvent = { type: 'TaskStarted', data: { atMs: T0 } };
const awaiting = (node: string): TaskEvent => ({
  type: 'TaskBootactionsAwaited',
  data: {
    node,
    actions: [
      { actionId: `${node}-A`, name: 'signal-ready' },
      { actionId: `${node}-B`, name: 'operator-check' },
    ],
    untilMs: UNTIL,
    atMs: T0,
  },
});
const reportedFailure: TaskEvent = { type: 'TaskBootactionReported', data: { node: 'n2', actionId: 'n2-A', actionName: 'signal-ready', status: 'failure', messages: [], atMs: T0 + 1 } };
const succeeded: TaskEvent = { type: 'TaskNodeSucceeded', data: { node: 'n1', message: 'all bootactions succeeded', atMs: T0 + 1 } };

describe('task decider: a task ending while nodes wait for bootactions', () => {
  it('Complete fails each waiting node, naming the silent actions, before computing the result', () => {
    givenDecider(taskDecider)
      .given(created, started, succeeded, awaiting('n3'), awaiting('n2'), reportedFailure)
      .when({ type: 'Complete', nowMs: T0 + 5 })
      .thenEvents([
        { type: 'TaskNodeFailed', data: { node: 'n2', message: 'bootaction signal-ready failed; bootaction operator-check did not report before the task ended', atMs: T0 + 5 } },
        { type: 'TaskNodeFailed', data: { node: 'n3', message: 'bootactions signal-ready, operator-check did not report before the task ended', atMs: T0 + 5 } },
        { type: 'TaskCompleted', data: { status: 'complete', result: 'partial_success', message: null, atMs: T0 + 5 } },
      ])
      .thenState((state) => assert.deepEqual([state.result.successes, state.result.failures, state.waits], [['n1'], ['n2', 'n3'], {}]));
  });

  it('a terminated task fails its waiting nodes too', () => {
    givenDecider(taskDecider)
      .given(created, started, awaiting('n1'), { type: 'TaskTerminationRequested', data: { by: 'admin', atMs: T0 + 1 } })
      .when({ type: 'Complete', nowMs: T0 + 5 })
      .thenEventTypes('TaskNodeFailed', 'TaskCompleted')
      .thenState((state) => state.status === 'terminated' && state.result.status === 'failure' && taskDecider.nextDeadline?.(state) === undefined);
  });

  it('Fail fails the waiting nodes, then records its own error', () => {
    givenDecider(taskDecider)
      .given(created, started, awaiting('n1'))
      .when({ type: 'Fail', message: 'orchestration lost', nowMs: T0 + 5 })
      .thenEventTypes('TaskNodeFailed', 'TaskMessagesAdded', 'TaskCompleted')
      .thenState((state) => assert.deepEqual([state.result.failures, state.result.messages.at(-1)?.message], [['n1'], 'orchestration lost']));
  });

  it('refuses a success for a node that waits for bootactions: their reports decide it', () => {
    givenDecider(taskDecider)
      .given(created, started, awaiting('n1'))
      .when({ type: 'NodeSucceeded', node: 'n1', message: 'imaged', nowMs: T0 + 1 })
      .thenRejected('conflict', /n1 waits for bootactions/);
  });
});
