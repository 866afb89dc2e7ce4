import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskDecider, type TaskCommand, type TaskEvent } from '../../../../src/dialects/drydock/domain/task-decider.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const UNTIL = T0 + 15 * 60_000;
const HELLO = '01JEXAMPLE0000000000000001';
const CHECK = '01JEXAMPLE0000000000000002';
const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId: 'b4a1c0de-1111-4222-8333-444455556666', action: 'deploy_nodes', designRef: 'file://sim', nodeFilter: null, parentTaskId: 'parent', node: 'sim-0001', createdBy: 'ops', atMs: T0 },
};
const started: TaskEvent = { type: 'TaskStarted', data: { atMs: T0 } };
const actions = [
  { actionId: HELLO, name: 'sim-hello' },
  { actionId: CHECK, name: 'operator-check' },
];
const report = (actionId: string, actionName: string, status: 'success' | 'failure'): TaskCommand => ({
  type: 'BootactionReported',
  node: 'sim-0001',
  actionId,
  actionName,
  status,
  details: [],
  nowMs: T0 + 1,
});
const early = (actionId: string, actionName: string, status: 'success' | 'failure'): TaskEvent => ({
  type: 'TaskBootactionReported',
  data: { node: 'sim-0001', actionId, actionName, status, messages: [], atMs: T0 + 1 },
});
const awaitBoth: TaskCommand = { type: 'AwaitBootactions', node: 'sim-0001', actions, untilMs: UNTIL, nowMs: T0 + 2 };
const awaited: TaskEvent = { type: 'TaskBootactionsAwaited', data: { node: 'sim-0001', actions, untilMs: UNTIL, atMs: T0 + 2 } };

// A node reports as soon as it has booted its new image, which may be before labpool has verified it.
describe('task decider: bootaction reports that come before the wait', () => {
  it('a final status with no details and no wait is kept', () => {
    givenDecider(taskDecider)
      .given(created, started)
      .when(report(HELLO, 'sim-hello', 'success'))
      .thenEvents([early(HELLO, 'sim-hello', 'success')]);
  });

  it('the wait counts it: only the silent action is still awaited', () => {
    givenDecider(taskDecider)
      .given(created, started, early(HELLO, 'sim-hello', 'success'))
      .when(awaitBoth)
      .thenEvents([awaited])
      .thenState((state) => assert.deepEqual(state.waits['sim-0001']?.pending, [{ actionId: CHECK, name: 'operator-check' }]));
  });

  it('every action reported already: the node has its result at once', () => {
    givenDecider(taskDecider)
      .given(created, started, early(HELLO, 'sim-hello', 'success'), early(CHECK, 'operator-check', 'failure'))
      .when(awaitBoth)
      .thenEvents([awaited, { type: 'TaskNodeFailed', data: { node: 'sim-0001', message: 'bootaction operator-check failed', atMs: T0 + 2 } }])
      .thenState((state) => assert.deepEqual([state.waits, state.result.failures], [{}, ['sim-0001']]));
  });

  it('an early failure still fails the node when the last action reports success', () => {
    givenDecider(taskDecider)
      .given(created, started, early(CHECK, 'operator-check', 'failure'), awaited)
      .when({ ...report(HELLO, 'sim-hello', 'success'), nowMs: T0 + 3 })
      .thenEventTypes('TaskBootactionReported', 'TaskNodeFailed');
  });
});
