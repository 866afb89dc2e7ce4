import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { taskDecider, type TaskCommand, type TaskEvent } from '../../../../src/dialects/drydock/domain/task-decider.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const UNTIL = T0 + 15 * 60_000;
const ID = 'b4a1c0de-1111-4222-8333-444455556666';
const SIGNAL = '01JEXAMPLE0000000000000001';
const OPERATOR = '01JEXAMPLE0000000000000002';
const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId: ID, action: 'deploy_nodes', designRef: 'file://sim', nodeFilter: null, parentTaskId: 'parent', node: 'sim-0001', createdBy: 'ops', atMs: T0 },
};
const started: TaskEvent = { type: 'TaskStarted', data: { atMs: T0 } };
const actions = [
  { actionId: SIGNAL, name: 'signal-ready' },
  { actionId: OPERATOR, name: 'operator-check' },
];
const awaited: TaskEvent = { type: 'TaskBootactionsAwaited', data: { node: 'sim-0001', actions, untilMs: UNTIL, atMs: T0 + 1 } };
const report = (actionId: string, actionName: string, status: 'success' | 'failure' | null, nowMs = T0 + 2): TaskCommand => ({
  type: 'BootactionReported',
  node: 'sim-0001',
  actionId,
  actionName,
  status,
  details: status === null ? [{ message: 'halfway', error: false }] : [],
  nowMs,
});
const timeout = (name: string, atMs: number, nowMs = atMs): TaskCommand => ({ type: 'Timeout', deadline: { name, atMs }, nowMs });
const reported = (actionId: string, actionName: string, status: 'success' | 'failure' | null, atMs = T0 + 2): TaskEvent => ({
  type: 'TaskBootactionReported',
  data: { node: 'sim-0001', actionId, actionName, status, messages: [], atMs },
});

describe('task decider: waiting for bootactions', () => {
  it('waits for the node until untilMs: the deadline is named after the node', () => {
    givenDecider(taskDecider)
      .given(created, started)
      .when({ type: 'AwaitBootactions', node: 'sim-0001', actions, untilMs: UNTIL, nowMs: T0 + 1 })
      .thenEvents([awaited])
      .thenState((state) => assert.deepEqual(taskDecider.nextDeadline?.(state), { name: 'bootactions:sim-0001', atMs: UNTIL }));
  });

  it('the node succeeds when its last awaited action reports success', () => {
    givenDecider(taskDecider)
      .given(created, started, awaited)
      .when(report(SIGNAL, 'signal-ready', 'success'))
      .thenEvents([reported(SIGNAL, 'signal-ready', 'success')])
      .when(report(OPERATOR, 'operator-check', 'success', T0 + 3))
      .thenEvents([reported(OPERATOR, 'operator-check', 'success', T0 + 3), { type: 'TaskNodeSucceeded', data: { node: 'sim-0001', message: 'all bootactions succeeded', atMs: T0 + 3 } }])
      .thenState((state) => assert.deepEqual([state.result.successes, state.waits, taskDecider.nextDeadline?.(state)], [['sim-0001'], {}, undefined]));
  });

  it('one failure fails the node once every action is final, naming the failed one', () => {
    givenDecider(taskDecider)
      .given(created, started, awaited)
      .when(report(SIGNAL, 'signal-ready', 'failure'))
      .thenEventTypes('TaskBootactionReported')
      .when(report(OPERATOR, 'operator-check', 'success', T0 + 3))
      .thenEvents([reported(OPERATOR, 'operator-check', 'success', T0 + 3), { type: 'TaskNodeFailed', data: { node: 'sim-0001', message: 'bootaction signal-ready failed', atMs: T0 + 3 } }])
      .thenState((state) => assert.deepEqual(state.result.failures, ['sim-0001']));
  });

  it('files details as bootaction messages: context is the action id, other keys go to extra', () => {
    givenDecider(taskDecider)
      .given(created, started, awaited)
      .when({
        type: 'BootactionReported',
        node: 'sim-0001',
        actionId: SIGNAL,
        actionName: 'signal-ready',
        status: null,
        details: [
          { message: 'unit started', error: false },
          { message: 'disk slow', error: true, disk: 'sda', ms: 120 },
        ],
        nowMs: T0 + 5,
      })
      .thenEvents([
        {
          type: 'TaskBootactionReported',
          data: {
            node: 'sim-0001',
            actionId: SIGNAL,
            actionName: 'signal-ready',
            status: null,
            messages: [
              { message: 'unit started', error: false, context_type: 'bootaction', context: SIGNAL, extra: {}, atMs: T0 + 5 },
              { message: 'disk slow', error: true, context_type: 'bootaction', context: SIGNAL, extra: { disk: 'sda', ms: 120 }, atMs: T0 + 5 },
            ],
            atMs: T0 + 5,
          },
        },
      ])
      .thenState((state) => state.waits['sim-0001']?.pending.length === 2 && state.result.messages.length === 2);
  });

  it('the timeout fails the node naming the actions that did not report (and those that failed)', () => {
    givenDecider(taskDecider)
      .given(created, started, awaited, reported(SIGNAL, 'signal-ready', 'success'))
      .when(timeout('bootactions:sim-0001', UNTIL))
      .thenEvents([{ type: 'TaskNodeFailed', data: { node: 'sim-0001', message: 'bootaction operator-check timed out', atMs: UNTIL } }])
      .thenState((state) => state.result.failures.includes('sim-0001') && taskDecider.nextDeadline?.(state) === undefined);
    givenDecider(taskDecider)
      .given(
        created,
        started,
        { type: 'TaskBootactionsAwaited', data: { node: 'sim-0001', actions: [...actions, { actionId: 'C', name: 'third' }], untilMs: UNTIL, atMs: T0 + 1 } },
        reported(SIGNAL, 'signal-ready', 'failure'),
      )
      .when(timeout('bootactions:sim-0001', UNTIL, UNTIL + 5))
      .thenEvents([{ type: 'TaskNodeFailed', data: { node: 'sim-0001', message: 'bootaction signal-ready failed; bootactions operator-check, third timed out', atMs: UNTIL + 5 } }]);
  });

  it('ignores a stale timeout: another time, another node, an early one, a wait that ended, a task that ended', () => {
    const given = givenDecider(taskDecider).given(created, started, awaited);
    given.when(timeout('bootactions:sim-0001', UNTIL - 1)).thenNothing();
    given.when(timeout('bootactions:sim-0002', UNTIL)).thenNothing();
    given.when(timeout('expiry', UNTIL)).thenNothing();
    given.when(timeout('bootactions:sim-0001', UNTIL, UNTIL - 1)).thenNothing();
    givenDecider(taskDecider)
      .given(created, started, awaited, reported(SIGNAL, 'signal-ready', 'success'), reported(OPERATOR, 'operator-check', 'success'), {
        type: 'TaskNodeSucceeded',
        data: { node: 'sim-0001', message: 'all bootactions succeeded', atMs: T0 + 2 },
      })
      .when(timeout('bootactions:sim-0001', UNTIL))
      .thenNothing();
    const ended = givenDecider(taskDecider).given(created, started, awaited, { type: 'TaskCompleted', data: { status: 'complete', result: 'failure', message: null, atMs: T0 + 3 } });
    assert.equal(taskDecider.nextDeadline?.(ended.state), undefined);
    ended.when(timeout('bootactions:sim-0001', UNTIL)).thenNothing();
  });

  it('a report after the timeout keeps its details but not its status: the node stays failed', () => {
    givenDecider(taskDecider)
      .given(created, started, awaited)
      .when(timeout('bootactions:sim-0001', UNTIL))
      .when({ type: 'BootactionReported', node: 'sim-0001', actionId: OPERATOR, actionName: 'operator-check', status: 'success', details: [{ message: 'late', error: false }], nowMs: UNTIL + 9 })
      .thenEventTypes('TaskBootactionReported')
      .thenState((state) => assert.deepEqual([state.result.successes, state.result.failures, state.result.messages.at(-1)?.message], [[], ['sim-0001'], 'late']))
      .when(report(OPERATOR, 'operator-check', 'success', UNTIL + 10))
      .thenNothing();
  });

  it('a detail-only report changes no wait; an empty one records nothing', () => {
    givenDecider(taskDecider)
      .given(created, started, awaited)
      .when(report(SIGNAL, 'signal-ready', null))
      .thenState((state) => state.waits['sim-0001']?.pending.length === 2)
      .when({ ...report(SIGNAL, 'signal-ready', null), details: [] } as TaskCommand)
      .thenNothing();
  });

  it('keeps the first wait of a node; no action means no wait; a node with a result is refused', () => {
    givenDecider(taskDecider)
      .given(created, started, awaited)
      .when({ type: 'AwaitBootactions', node: 'sim-0001', actions, untilMs: UNTIL + 60_000, nowMs: T0 + 2 })
      .thenNothing()
      .thenState((state) => taskDecider.nextDeadline?.(state)?.atMs === UNTIL);
    givenDecider(taskDecider).given(created, started).when({ type: 'AwaitBootactions', node: 'sim-0001', actions: [], untilMs: UNTIL, nowMs: T0 }).thenNothing();
    givenDecider(taskDecider)
      .given(created, started, { type: 'TaskNodeFailed', data: { node: 'sim-0001', message: 'image failed', atMs: T0 } })
      .when({ type: 'AwaitBootactions', node: 'sim-0001', actions, untilMs: UNTIL, nowMs: T0 })
      .thenRejected('conflict', /sim-0001 has a result/);
  });

  it('a node failing otherwise stops its wait', () => {
    givenDecider(taskDecider)
      .given(created, started, awaited)
      .when({ type: 'NodeFailed', node: 'sim-0001', message: 'powered off', nowMs: T0 + 2 })
      .thenState((state) => taskDecider.nextDeadline?.(state) === undefined)
      .when(timeout('bootactions:sim-0001', UNTIL))
      .thenNothing();
  });

  it('gives the nearest wait of several nodes, then the next one', () => {
    const other: TaskEvent = { type: 'TaskBootactionsAwaited', data: { node: 'sim-0002', actions: [{ actionId: 'X', name: 'x' }], untilMs: UNTIL - 1000, atMs: T0 } };
    const given = givenDecider(taskDecider).given(created, started, awaited, other);
    assert.deepEqual(taskDecider.nextDeadline?.(given.state), { name: 'bootactions:sim-0002', atMs: UNTIL - 1000 });
    given
      .when(timeout('bootactions:sim-0002', UNTIL - 1000))
      .thenEventTypes('TaskNodeFailed')
      .thenState((state) => assert.deepEqual(taskDecider.nextDeadline?.(state), { name: 'bootactions:sim-0001', atMs: UNTIL }));
  });
});
