import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskDecider, type TaskEvent } from '../../../../src/dialects/drydock/domain/task-decider.js';
import { computeResultStatus, emptyTaskResult, recordFailure, recordSuccess } from '../../../../src/dialects/drydock/domain/task-result.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId: 't', action: 'deploy_nodes', designRef: 'labpool:inventory', nodeFilter: null, parentTaskId: null, node: null, createdBy: 'ops', atMs: T0 },
};
const succeeded = (node: string): TaskEvent => ({ type: 'TaskNodeSucceeded', data: { node, message: 'ok', atMs: T0 } });
const failed = (node: string): TaskEvent => ({ type: 'TaskNodeFailed', data: { node, message: 'broken', atMs: T0 } });
const note = (error: boolean): TaskEvent => ({ type: 'TaskMessagesAdded', data: { messages: [{ message: 'note', error, context_type: 'task', context: 't', extra: {}, atMs: T0 }], atMs: T0 } });

/** The result status a Complete computes after these events. */
function completedWith(...events: TaskEvent[]): string {
  const outcome = givenDecider(taskDecider)
    .given(created, ...events)
    .when({ type: 'Complete', nowMs: T0 + 1 })
    .thenEventTypes('TaskCompleted');
  return outcome.state.result.status;
}

describe('task result', () => {
  it('no nodes and no errors: success; only info messages: success', () => {
    assert.equal(completedWith(), 'success');
    assert.equal(completedWith(note(false)), 'success');
  });

  it('only error messages (an invalid design): failure', () => {
    assert.equal(completedWith(note(false), note(true)), 'failure');
  });

  it('all nodes succeeded: success, even with error messages', () => {
    assert.equal(completedWith(succeeded('a'), succeeded('b'), note(true)), 'success');
  });

  it('some nodes succeeded: partial_success', () => {
    assert.equal(completedWith(succeeded('a'), failed('b')), 'partial_success');
  });

  it('no node succeeded, one failed at least: failure', () => {
    assert.equal(completedWith(failed('a'), failed('b')), 'failure');
  });

  it('a node that failed after succeeding counts as failed only', () => {
    assert.equal(completedWith(succeeded('a'), failed('a')), 'failure');
  });

  it('keeps each node once, in one list', () => {
    const result = recordFailure(recordSuccess(recordSuccess(emptyTaskResult, 'a'), 'a'), 'a');
    assert.deepEqual([result.successes, result.failures], [[], ['a']]);
    assert.deepEqual(recordSuccess(result, 'a'), result);
    assert.equal(computeResultStatus(recordSuccess(result, 'b')), 'partial_success');
  });
});
