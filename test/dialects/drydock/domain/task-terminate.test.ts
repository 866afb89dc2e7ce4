import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskDecider, type TaskEvent } from '../../../../src/dialects/drydock/domain/task-decider.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const PARENT = '3f0c1d6e-0a4b-4c55-9a77-5b1c0f7f6a01';
const SUB = '9d2e4b10-7c3a-4f8e-8b61-2a5d9e0c4f12';
const filter = { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['sim-0001'] }] } as const;
const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId: SUB, action: 'verify_nodes', designRef: 'labpool:inventory', nodeFilter: filter, parentTaskId: PARENT, node: 'sim-0001', createdBy: 'ops', atMs: T0 },
};
const started: TaskEvent = { type: 'TaskStarted', data: { atMs: T0 + 1 } };
const noted: TaskEvent = {
  type: 'TaskMessagesAdded',
  data: { messages: [{ message: 'self-testing sim-0001', error: false, context_type: 'node', context: 'sim-0001', extra: {}, atMs: T0 + 2 }], atMs: T0 + 2 },
};
const terminating: TaskEvent = { type: 'TaskTerminationRequested', data: { by: 'otto', atMs: T0 + 3 } };
const complete = { type: 'Complete', nowMs: T0 + 4 } as const;

describe('a node task terminated before its node landed', () => {
  it('fails its node, naming who stopped it, and ends terminated with a failure', () => {
    givenDecider(taskDecider)
      .given(created, started, noted, terminating)
      .when(complete)
      .thenEvents([
        { type: 'TaskNodeFailed', data: { node: 'sim-0001', message: 'node sim-0001: terminated by otto before its work ended', atMs: T0 + 4 } },
        { type: 'TaskCompleted', data: { status: 'terminated', result: 'failure', message: null, atMs: T0 + 4 } },
      ])
      .thenState((state) => {
        assert.deepEqual([state.result.successes, state.result.failures, state.result.status], [[], ['sim-0001'], 'failure']);
        assert.equal(state.result.messages.at(-1)?.error, true);
      });
  });

  it('keeps a node that landed before the termination where it is', () => {
    const succeeded: TaskEvent = { type: 'TaskNodeSucceeded', data: { node: 'sim-0001', message: 'self-tested', atMs: T0 + 3 } };
    givenDecider(taskDecider)
      .given(created, started, succeeded, terminating)
      .when(complete)
      .thenEvents([{ type: 'TaskCompleted', data: { status: 'terminated', result: 'success', message: null, atMs: T0 + 4 } }]);
  });

  it('leaves a node task that completes without termination, and a parent, as they were', () => {
    givenDecider(taskDecider).given(created, started).when(complete).thenEventTypes('TaskCompleted');
    const parent: TaskEvent = { type: 'TaskCreated', data: { ...(created.data as object), taskId: PARENT, parentTaskId: null, node: null } } as TaskEvent;
    givenDecider(taskDecider)
      .given(parent, started, terminating)
      .when(complete)
      .thenEvents([{ type: 'TaskCompleted', data: { status: 'terminated', result: 'success', message: null, atMs: T0 + 4 } }]);
  });
});
