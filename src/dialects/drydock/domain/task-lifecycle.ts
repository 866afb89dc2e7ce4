import { accept, reject, type Decision } from '../../../domain/decider.js';
import { isTaskAction, TASK_ACTIONS } from './task-actions.js';
import type { TaskCommand, TaskEvent } from './task-events.js';
import { computeResultStatus } from './task-result.js';
import { endWaits } from './task-bootactions.js';
import { ACTIVE_STATUSES, evolveTask, OPEN_STATUSES, taskRefusal, type TaskState } from './task-state.js';

type Command<Type extends TaskCommand['type']> = Extract<TaskCommand, { type: Type }>;

/** JSON with sorted keys: two node filters that say the same thing compare equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The creation this state records, whatever its time: a repeat of it is a retry, not a new task. */
function sameCreation(state: TaskState, command: Command<'Create'>): boolean {
  const { taskId, action, designRef, parentTaskId, node, createdBy } = state;
  const recorded = { taskId, action, designRef, parentTaskId, node, createdBy, nodeFilter: state.nodeFilter };
  const asked = {
    taskId: command.taskId,
    action: command.action,
    designRef: command.designRef,
    parentTaskId: command.parentTaskId,
    node: command.node,
    createdBy: command.createdBy,
    nodeFilter: command.nodeFilter,
  };
  return canonicalJson(recorded) === canonicalJson(asked);
}

export function decideCreate(command: Command<'Create'>, state: TaskState): Decision<TaskEvent> {
  if (state.taskId !== null) return sameCreation(state, command) ? accept() : reject('exists', `task ${state.taskId} exists`);
  if (!isTaskAction(command.action)) return reject('bad_action', `unknown action ${JSON.stringify(command.action)}: one of ${TASK_ACTIONS.join(', ')}`);
  if (command.designRef.trim() === '') return reject('bad_design_ref', 'a task needs a design_ref');
  const { taskId, designRef, nodeFilter, parentTaskId, node, createdBy, nowMs } = command;
  return accept({ type: 'TaskCreated', data: { taskId, action: command.action, designRef, nodeFilter, parentTaskId, node, createdBy, atMs: nowMs } });
}

export function decideStart(command: Command<'Start'>, state: TaskState): Decision<TaskEvent> {
  if (state.taskId !== null && state.status === 'running') return accept();
  const refused = taskRefusal(state, ['queued'], 'start');
  return refused ?? accept({ type: 'TaskStarted', data: { atMs: command.nowMs } });
}

/** Termination is asked for; the orchestration stops its work and then completes the task as `terminated`. */
export function decideTerminate(command: Command<'Terminate'>, state: TaskState): Decision<TaskEvent> {
  if (state.taskId !== null && state.status === 'terminating') return accept();
  const refused = taskRefusal(state, OPEN_STATUSES, 'terminate');
  return refused ?? accept({ type: 'TaskTerminationRequested', data: { by: command.by, atMs: command.nowMs } });
}

/** A task asked to terminate ends `terminated`, any other `complete`. */
const endStatus = (state: TaskState): 'complete' | 'terminated' => (state.status === 'terminating' ? 'terminated' : 'complete');

/** Nodes still waiting for bootactions fail first (naming the silent ones); then the result is computed. */
export function decideComplete(command: Command<'Complete'>, state: TaskState): Decision<TaskEvent> {
  const refused = taskRefusal(state, ACTIVE_STATUSES, 'complete');
  if (refused) return refused;
  const { message, nowMs } = command;
  const ended = endWaits(state, nowMs);
  const result = computeResultStatus(ended.reduce(evolveTask, state).result);
  return accept(...ended, { type: 'TaskCompleted', data: { status: endStatus(state), result, message: message ?? null, atMs: nowMs } });
}

/** Ends the task as a failure whatever its nodes did, with `message` as the task's error. */
export function decideFail(command: Command<'Fail'>, state: TaskState): Decision<TaskEvent> {
  const refused = taskRefusal(state, ACTIVE_STATUSES, 'fail');
  if (refused) return refused;
  const { message, nowMs } = command;
  const context = state.taskId ?? '';
  return accept(
    ...endWaits(state, nowMs),
    { type: 'TaskMessagesAdded', data: { messages: [{ message, error: true, context_type: 'task', context, extra: {}, atMs: nowMs }], atMs: nowMs } },
    { type: 'TaskCompleted', data: { status: endStatus(state), result: 'failure', message, atMs: nowMs } },
  );
}
