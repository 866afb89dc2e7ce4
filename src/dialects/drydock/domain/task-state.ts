import { reject, type Decision } from '../../../domain/decider.js';
import type { NodeFilterSet } from './design.js';
import type { TaskAction } from './task-actions.js';
import type { TaskBootaction, TaskEvent, TaskMessage, TaskStatus, TaskSubtask } from './task-events.js';
import { addMessages, emptyTaskResult, recordFailure, recordSuccess, type TaskResult } from './task-result.js';

type Data<Type extends TaskEvent['type']> = Extract<TaskEvent, { type: Type }>['data'];

/** A node waiting for its signalling bootactions. */
export type BootactionWait = {
  /** Epoch ms: the actions still pending then have timed out. */
  readonly untilMs: number;
  /** Awaited actions without a final status yet. */
  readonly pending: readonly TaskBootaction[];
  /** Names of awaited actions that reported `failure`. */
  readonly failed: readonly string[];
};

export type TaskState = {
  /** Null until created. */
  readonly taskId: string | null;
  readonly action: TaskAction | null;
  readonly designRef: string;
  readonly nodeFilter: NodeFilterSet | null;
  readonly parentTaskId: string | null;
  /** The node of a subtask; null for a parent task. */
  readonly node: string | null;
  readonly createdBy: string;
  /** The server that runs the task; null for a task recorded before servers shared a store (any server may). */
  readonly server: string | null;
  readonly status: TaskStatus;
  readonly createdAtMs: number;
  /** Time of the latest event. */
  readonly updatedAtMs: number | null;
  /** Set when a terminating task ends. */
  readonly terminatedAtMs: number | null;
  readonly terminatedBy: string | null;
  /** Termination was asked for. */
  readonly terminate: boolean;
  /** Drydock's retry sequence: labpool never re-runs a task, so always 0. */
  readonly retry: number;
  /** In the order added. */
  readonly subtasks: readonly TaskSubtask[];
  readonly endedSubtaskIds: readonly string[];
  readonly result: TaskResult;
  /** By node: the bootactions its deploy still waits for. */
  readonly waits: Readonly<Record<string, BootactionWait>>;
  /**
   * Final statuses reported by bootaction id, whether or not a wait was open: a fast node may report
   * before its deploy has seen the device finish, and its wait then starts with that report counted.
   */
  readonly reportedStatuses: Readonly<Record<string, 'success' | 'failure'>>;
};

export const initialTaskState: TaskState = {
  taskId: null,
  action: null,
  designRef: '',
  nodeFilter: null,
  parentTaskId: null,
  node: null,
  createdBy: '',
  server: null,
  status: 'requested',
  createdAtMs: 0,
  updatedAtMs: null,
  terminatedAtMs: null,
  terminatedBy: null,
  terminate: false,
  retry: 0,
  subtasks: [],
  endedSubtaskIds: [],
  result: emptyTaskResult,
  waits: {},
  reportedStatuses: {},
};

export function isFinalTask(state: Pick<TaskState, 'status'>): boolean {
  return state.status === 'complete' || state.status === 'terminated';
}

function withoutWait(waits: TaskState['waits'], node: string): TaskState['waits'] {
  if (!(node in waits)) return waits;
  const { [node]: _gone, ...rest } = waits;
  return rest;
}

/** An awaited action reached a final status: it no longer pends, and a failure is remembered. */
function reportWait(waits: TaskState['waits'], data: Data<'TaskBootactionReported'>): TaskState['waits'] {
  const wait = waits[data.node];
  const action = wait?.pending.find((pending) => pending.actionId === data.actionId);
  if (wait === undefined || action === undefined || data.status === null) return waits;
  const pending = wait.pending.filter((other) => other !== action);
  const failed = data.status === 'failure' ? [...wait.failed, action.name] : wait.failed;
  return { ...waits, [data.node]: { ...wait, pending, failed } };
}

function withStatus(statuses: TaskState['reportedStatuses'], data: Data<'TaskBootactionReported'>): TaskState['reportedStatuses'] {
  return data.status === null || statuses[data.actionId] !== undefined ? statuses : { ...statuses, [data.actionId]: data.status };
}

function nodeMessage(node: string, message: string, error: boolean, atMs: number): TaskMessage {
  return { message, error, context_type: 'node', context: node, extra: {}, atMs };
}

function created(data: Data<'TaskCreated'>): TaskState {
  const { taskId, action, designRef, nodeFilter, parentTaskId, node, createdBy, atMs } = data;
  return { ...initialTaskState, taskId, action, designRef, nodeFilter, parentTaskId, node, createdBy, server: data.server ?? null, status: 'queued', createdAtMs: atMs };
}

function nodeLanded(state: TaskState, { node, message, atMs }: Data<'TaskNodeSucceeded'>, error: boolean): TaskState {
  const landed = error ? recordFailure(state.result, node) : recordSuccess(state.result, node);
  return { ...state, result: addMessages(landed, [nodeMessage(node, message, error, atMs)]), waits: withoutWait(state.waits, node) };
}

function subtaskEnded(state: TaskState, { subtaskId, node, status, messages }: Data<'TaskSubtaskEnded'>): TaskState {
  const landed = status === 'success' ? recordSuccess(state.result, node) : recordFailure(state.result, node);
  return { ...state, endedSubtaskIds: [...state.endedSubtaskIds, subtaskId], result: addMessages(landed, messages) };
}

function completed(state: TaskState, { status, result, message, atMs }: Data<'TaskCompleted'>): TaskState {
  const terminatedAtMs = status === 'terminated' ? atMs : null;
  // Waits left over can no longer end: a task that is over arms nothing.
  return { ...state, status, terminatedAtMs, waits: {}, result: { ...state.result, status: result, message: message ?? state.result.message } };
}

function evolveEvent(state: TaskState, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'TaskCreated':
      return created(event.data);
    case 'TaskStarted':
      return { ...state, status: 'running' };
    case 'TaskSubtasksAdded':
      return { ...state, subtasks: [...state.subtasks, ...event.data.subtasks] };
    case 'TaskMessagesAdded':
      return { ...state, result: addMessages(state.result, event.data.messages) };
    case 'TaskNodeSucceeded':
      return nodeLanded(state, event.data, false);
    case 'TaskNodeFailed':
      return nodeLanded(state, event.data, true);
    case 'TaskBootactionsAwaited': {
      const { node, actions, untilMs } = event.data;
      const pending = actions.filter((action) => state.reportedStatuses[action.actionId] === undefined);
      const failed = actions.filter((action) => state.reportedStatuses[action.actionId] === 'failure').map((action) => action.name);
      return { ...state, waits: { ...state.waits, [node]: { untilMs, pending, failed } } };
    }
    case 'TaskBootactionReported':
      return { ...state, result: addMessages(state.result, event.data.messages), waits: reportWait(state.waits, event.data), reportedStatuses: withStatus(state.reportedStatuses, event.data) };
    case 'TaskSubtaskEnded':
      return subtaskEnded(state, event.data);
    case 'TaskTerminationRequested':
      return { ...state, status: 'terminating', terminate: true, terminatedBy: event.data.by };
    case 'TaskCompleted':
      return completed(state, event.data);
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Folds one event; `status` and `waits` (the deadline's fields) follow from themselves and the event alone. */
export function evolveTask(state: TaskState, event: TaskEvent): TaskState {
  return { ...evolveEvent(state, event), updatedAtMs: event.data.atMs };
}

/** Statuses in which a task still takes work: results, messages, reports, its end. */
export const ACTIVE_STATUSES: readonly TaskStatus[] = ['queued', 'running', 'terminating'];
/** Statuses in which a task may still start new work (not once termination was asked for). */
export const OPEN_STATUSES: readonly TaskStatus[] = ['queued', 'running'];

/** Why `state` cannot `doing` unless its status is one of `allowed`; undefined when it can. */
export function taskRefusal(state: TaskState, allowed: readonly TaskStatus[], doing: string): Decision<TaskEvent> | undefined {
  if (state.taskId === null) return reject('not_found', 'no such task');
  if (allowed.includes(state.status)) return undefined;
  return reject('bad_state', `task ${state.taskId} is ${state.status}: cannot ${doing}`);
}
