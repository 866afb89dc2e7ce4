import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTaskAction, TASK_ACTIONS } from '../../../../src/dialects/drydock/domain/task-actions.js';
import { taskDecider, type TaskCommand, type TaskEvent } from '../../../../src/dialects/drydock/domain/task-decider.js';
import { evolveTask, initialTaskState } from '../../../../src/dialects/drydock/domain/task-state.js';
import { runsHere } from '../../../../src/dialects/drydock/actors/drydock-context.js';
import type { TaskStatus } from '../../../../src/dialects/drydock/domain/task-events.js';
import { givenDecider } from '../../../support/given-when-then.js';

const T0 = Date.UTC(2030, 0, 1);
const ID = '3f0c1d6e-0a4b-4c55-9a77-5b1c0f7f6a01';
const SUB = '9d2e4b10-7c3a-4f8e-8b61-2a5d9e0c4f12';
const filter = { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['sim-0001'] }] } as const;
const create: TaskCommand = {
  type: 'Create',
  taskId: ID,
  action: 'deploy_nodes',
  designRef: 'labpool:inventory',
  nodeFilter: filter,
  parentTaskId: null,
  node: null,
  createdBy: 'ops',
  server: 'lab-a:8010',
  nowMs: T0,
};
const created: TaskEvent = {
  type: 'TaskCreated',
  data: { taskId: ID, action: 'deploy_nodes', designRef: 'labpool:inventory', nodeFilter: filter, parentTaskId: null, node: null, createdBy: 'ops', server: 'lab-a:8010', atMs: T0 },
};
const started: TaskEvent = { type: 'TaskStarted', data: { atMs: T0 + 1 } };
const subtaskAdded: TaskEvent = { type: 'TaskSubtasksAdded', data: { subtasks: [{ taskId: SUB, node: 'sim-0001' }], atMs: T0 + 2 } };
const terminating: TaskEvent = { type: 'TaskTerminationRequested', data: { by: 'admin', atMs: T0 + 3 } };
const completed: TaskEvent = { type: 'TaskCompleted', data: { status: 'complete', result: 'success', message: null, atMs: T0 + 4 } };
const terminated: TaskEvent = { type: 'TaskCompleted', data: { status: 'terminated', result: 'success', message: null, atMs: T0 + 4 } };

/** The events that bring a task (with one subtask) to each status. */
const HISTORIES: Readonly<Record<TaskStatus, readonly TaskEvent[]>> = {
  requested: [],
  queued: [created, subtaskAdded],
  running: [created, subtaskAdded, started],
  terminating: [created, subtaskAdded, started, terminating],
  complete: [created, subtaskAdded, started, completed],
  terminated: [created, subtaskAdded, started, terminating, terminated],
};

const now = T0 + 10;
const COMMANDS: Readonly<Record<string, TaskCommand>> = {
  Start: { type: 'Start', nowMs: now },
  Terminate: { type: 'Terminate', by: 'admin', nowMs: now },
  Complete: { type: 'Complete', nowMs: now },
  Fail: { type: 'Fail', message: 'design invalid', nowMs: now },
  AddSubtasks: { type: 'AddSubtasks', subtasks: [{ taskId: 'other', node: 'sim-0002' }], nowMs: now },
  AddMessages: { type: 'AddMessages', messages: [{ message: 'hello', error: false, context_type: 'task', context: ID }], nowMs: now },
  NodeSucceeded: { type: 'NodeSucceeded', node: 'sim-0001', message: 'deployed', nowMs: now },
  NodeFailed: { type: 'NodeFailed', node: 'sim-0001', message: 'power failed', nowMs: now },
  AwaitBootactions: { type: 'AwaitBootactions', node: 'sim-0001', actions: [{ actionId: 'A', name: 'check' }], untilMs: now + 60_000, nowMs: now },
  BootactionReported: { type: 'BootactionReported', node: 'sim-0001', actionId: 'A', actionName: 'check', status: null, details: [{ message: 'hi', error: false }], nowMs: now },
  SubtaskEnded: { type: 'SubtaskEnded', subtaskId: SUB, node: 'sim-0001', status: 'success', messages: [], nowMs: now },
};

/** Per command, per status: the event types it leads to, `nothing`, or the rejection code. */
const EXPECTED: Readonly<Record<string, Readonly<Record<Exclude<TaskStatus, 'requested'>, readonly string[] | 'nothing' | 'bad_state'>>>> = {
  Start: { queued: ['TaskStarted'], running: 'nothing', terminating: 'bad_state', complete: 'bad_state', terminated: 'bad_state' },
  Terminate: { queued: ['TaskTerminationRequested'], running: ['TaskTerminationRequested'], terminating: 'nothing', complete: 'bad_state', terminated: 'bad_state' },
  Complete: { queued: ['TaskCompleted'], running: ['TaskCompleted'], terminating: ['TaskCompleted'], complete: 'bad_state', terminated: 'bad_state' },
  Fail: {
    queued: ['TaskMessagesAdded', 'TaskCompleted'],
    running: ['TaskMessagesAdded', 'TaskCompleted'],
    terminating: ['TaskMessagesAdded', 'TaskCompleted'],
    complete: 'bad_state',
    terminated: 'bad_state',
  },
  AddSubtasks: { queued: ['TaskSubtasksAdded'], running: ['TaskSubtasksAdded'], terminating: 'bad_state', complete: 'bad_state', terminated: 'bad_state' },
  AddMessages: { queued: ['TaskMessagesAdded'], running: ['TaskMessagesAdded'], terminating: ['TaskMessagesAdded'], complete: 'bad_state', terminated: 'bad_state' },
  NodeSucceeded: { queued: ['TaskNodeSucceeded'], running: ['TaskNodeSucceeded'], terminating: ['TaskNodeSucceeded'], complete: 'bad_state', terminated: 'bad_state' },
  NodeFailed: { queued: ['TaskNodeFailed'], running: ['TaskNodeFailed'], terminating: ['TaskNodeFailed'], complete: 'bad_state', terminated: 'bad_state' },
  AwaitBootactions: { queued: ['TaskBootactionsAwaited'], running: ['TaskBootactionsAwaited'], terminating: 'bad_state', complete: 'bad_state', terminated: 'bad_state' },
  BootactionReported: {
    queued: ['TaskBootactionReported'],
    running: ['TaskBootactionReported'],
    terminating: ['TaskBootactionReported'],
    complete: 'bad_state',
    terminated: 'bad_state',
  },
  SubtaskEnded: { queued: ['TaskSubtaskEnded'], running: ['TaskSubtaskEnded'], terminating: ['TaskSubtaskEnded'], complete: 'bad_state', terminated: 'bad_state' },
};

describe('task decider: lifecycle', () => {
  it('creates a queued task with an incomplete, empty result', () => {
    givenDecider(taskDecider)
      .when(create)
      .thenEvents([created])
      .thenState((state) => {
        assert.equal(state.status, 'queued');
        assert.deepEqual(state.result, { status: 'incomplete', message: null, reason: null, successes: [], failures: [], messages: [] });
        assert.equal(taskDecider.nextDeadline?.(state), undefined);
      });
  });

  it('takes an identical Create as a no-op, whatever its time, and refuses any other as exists', () => {
    const { filter_set: sets } = filter;
    const sameFilterOtherKeyOrder = { filter_set: sets, filter_set_type: 'union' } as const;
    givenDecider(taskDecider)
      .given(created)
      .when({ ...create, nowMs: T0 + 5, nodeFilter: sameFilterOtherKeyOrder })
      .thenNothing();
    for (const change of [{ action: 'destroy_nodes' }, { designRef: 'file://other' }, { createdBy: 'someone' }, { nodeFilter: null }, { parentTaskId: SUB }, { taskId: SUB }]) {
      givenDecider(taskDecider)
        .given(created)
        .when({ ...create, ...change })
        .thenRejected('exists', new RegExp(ID));
    }
  });

  // Servers sharing a store recover, arm and carry on only their own tasks.
  it("records the server that runs the task; one recorded before servers were named is anyone's", () => {
    givenDecider(taskDecider).when(create).thenEvents([created]);
    const state = evolveTask(initialTaskState, created);
    assert.equal(state.server, 'lab-a:8010');
    assert.equal(runsHere({ serverId: 'lab-a:8010' }, state), true);
    assert.equal(runsHere({ serverId: 'lab-b:8010' }, state), false);
    const { server: _server, ...before } = created.type === 'TaskCreated' ? created.data : assert.fail('created');
    const old = evolveTask(initialTaskState, { type: 'TaskCreated', data: before });
    assert.equal(old.server, null);
    assert.equal(runsHere({ serverId: 'lab-b:8010' }, old), true);
    // A retried creation reaching another server changes nothing: the task stays with its server.
    givenDecider(taskDecider)
      .given(created)
      .when({ ...create, server: 'lab-b:8010' })
      .thenNothing();
  });

  it('refuses an unknown action and an empty design_ref', () => {
    givenDecider(taskDecider)
      .when({ ...create, action: 'deploy_node' })
      .thenRejected('bad_action', /deploy_node.*validate_design/);
    givenDecider(taskDecider)
      .when({ ...create, designRef: ' ' })
      .thenRejected('bad_design_ref');
  });

  it('knows the eight actions', () => {
    assert.equal(TASK_ACTIONS.length, 8);
    assert.ok(TASK_ACTIONS.every(isTaskAction));
    assert.equal(isTaskAction('noop'), false);
    assert.equal(isTaskAction(7), false);
  });

  it('refuses every other command on a task never created', () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      const outcome = givenDecider(taskDecider).when(command);
      assert.ok(!outcome.decision.ok && outcome.decision.rejection.code === 'not_found', `${name} on no task`);
    }
  });

  for (const [name, byStatus] of Object.entries(EXPECTED)) {
    it(`${name}: allowed and refused by status`, () => {
      for (const [status, expected] of Object.entries(byStatus)) {
        const outcome = givenDecider(taskDecider)
          .given(...HISTORIES[status as TaskStatus])
          .when(COMMANDS[name]!);
        if (expected === 'bad_state') outcome.thenRejected('bad_state', new RegExp(`is ${status}: cannot`));
        else if (expected === 'nothing') outcome.thenNothing();
        else outcome.thenEventTypes(...(expected as TaskEvent['type'][]));
      }
    });
  }

  it('starts, then completes with the result computed and the given message', () => {
    givenDecider(taskDecider)
      .given(created)
      .when({ type: 'Start', nowMs: T0 + 1 })
      .thenEvents([started])
      .thenState((state) => state.status === 'running' && state.updatedAtMs === T0 + 1)
      .when({ type: 'NodeSucceeded', node: 'sim-0001', message: 'deployed', nowMs: T0 + 2 })
      .when({ type: 'Complete', message: 'done', nowMs: T0 + 3 })
      .thenEvents([{ type: 'TaskCompleted', data: { status: 'complete', result: 'success', message: 'done', atMs: T0 + 3 } }])
      .thenState((state) => state.status === 'complete' && state.result.status === 'success' && state.result.message === 'done' && state.terminatedAtMs === null)
      .thenState((state) => taskDecider.isFinal?.(state) === true);
  });

  it('fails at once with the message as an error of the task, whatever the nodes did', () => {
    givenDecider(taskDecider)
      .given(created, started, { type: 'TaskNodeSucceeded', data: { node: 'sim-0001', message: 'ok', atMs: T0 + 2 } })
      .when({ type: 'Fail', message: 'design invalid', nowMs: T0 + 3 })
      .thenEvents([
        { type: 'TaskMessagesAdded', data: { messages: [{ message: 'design invalid', error: true, context_type: 'task', context: ID, extra: {}, atMs: T0 + 3 }], atMs: T0 + 3 } },
        { type: 'TaskCompleted', data: { status: 'complete', result: 'failure', message: 'design invalid', atMs: T0 + 3 } },
      ])
      .thenState((state) => state.result.status === 'failure' && state.result.successes.length === 1);
  });

  it('terminates: terminating with who asked, then terminated with its time when completed', () => {
    givenDecider(taskDecider)
      .given(created, started)
      .when({ type: 'Terminate', by: 'admin', nowMs: T0 + 3 })
      .thenEvents([terminating])
      .thenState((state) => state.status === 'terminating' && state.terminate && state.terminatedBy === 'admin' && state.terminatedAtMs === null)
      .thenState((state) => taskDecider.isFinal?.(state) === false)
      .when({ type: 'Complete', nowMs: T0 + 9 })
      .thenEvents([{ type: 'TaskCompleted', data: { status: 'terminated', result: 'success', message: null, atMs: T0 + 9 } }])
      .thenState((state) => state.status === 'terminated' && state.terminatedAtMs === T0 + 9 && taskDecider.isFinal?.(state) === true);
  });

  it('a Fail of a terminating task ends it terminated, as a failure', () => {
    givenDecider(taskDecider)
      .given(created, started, terminating)
      .when({ type: 'Fail', message: 'stopped', nowMs: T0 + 9 })
      .thenState((state) => state.status === 'terminated' && state.result.status === 'failure');
  });
});
