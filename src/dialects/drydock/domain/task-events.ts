import type { Json } from '../../../domain/json.js';
import type { NodeFilterSet } from './design.js';
import type { TaskAction } from './task-actions.js';

/**
 * Drydock's task lifecycle. `requested` is the state before creation: a created task is `queued` at
 * once (labpool has no separate admission step). `complete` and `terminated` are final.
 */
export type TaskStatus = 'requested' | 'queued' | 'running' | 'terminating' | 'terminated' | 'complete';

/** `incomplete` until the task ends; then computed from its nodes and errors (task-result.ts). */
export type TaskResultStatus = 'incomplete' | 'success' | 'partial_success' | 'failure';

/** One entry of `result.details.messageList`; `atMs` becomes its `ts`. */
export type TaskMessage = {
  readonly message: string;
  readonly error: boolean;
  /** What `context` names: `node`, `task`, `bootaction` (context = the bootaction's id)… */
  readonly context_type: string;
  readonly context: string;
  /** Any further fields the reporter sent (a bootaction detail's own keys). */
  readonly extra: Readonly<Record<string, Json>>;
  readonly atMs: number;
};

/** A message as a command brings it: the decider stamps it with the command's time. */
export type TaskMessageInput = {
  readonly message: string;
  readonly error: boolean;
  readonly context_type: string;
  readonly context: string;
  readonly extra?: Readonly<Record<string, Json>>;
};

/** One subtask of a parent task: the task that works on `node`. */
export type TaskSubtask = { readonly taskId: string; readonly node: string };

/** A signalling bootaction a node's deploy waits for. */
export type TaskBootaction = { readonly actionId: string; readonly name: string };

/** One `details[]` entry of a bootaction report: `message` and `error`, plus anything else the node sent. */
export type BootactionDetail = { readonly message: string; readonly error: boolean; readonly [key: string]: Json };

/** How a subtask ended, as its own result says. */
export type SubtaskOutcome = 'success' | 'failure' | 'partial_success';

/** Facts of one task, parent or subtask (stream `task-<uuid>`). Every event carries its time. */
export type TaskEvent =
  | {
      readonly type: 'TaskCreated';
      readonly data: {
        readonly taskId: string;
        readonly action: TaskAction;
        readonly designRef: string;
        readonly nodeFilter: NodeFilterSet | null;
        readonly parentTaskId: string | null;
        /** The one node a subtask works on; null for a parent task. */
        readonly node: string | null;
        readonly createdBy: string;
        /** The server that runs the task (its actor, recovery and deadlines); absent in events written before servers shared a store. */
        readonly server?: string;
        readonly atMs: number;
      };
    }
  | { readonly type: 'TaskStarted'; readonly data: { readonly atMs: number } }
  | { readonly type: 'TaskSubtasksAdded'; readonly data: { readonly subtasks: readonly TaskSubtask[]; readonly atMs: number } }
  | { readonly type: 'TaskMessagesAdded'; readonly data: { readonly messages: readonly TaskMessage[]; readonly atMs: number } }
  /** The node lands in `successes`, unless it is in `failures` already (then only the message is kept). */
  | { readonly type: 'TaskNodeSucceeded'; readonly data: { readonly node: string; readonly message: string; readonly atMs: number } }
  /** The node lands in `failures` (leaving `successes` if it was there) and stops waiting for bootactions. */
  | { readonly type: 'TaskNodeFailed'; readonly data: { readonly node: string; readonly message: string; readonly atMs: number } }
  | {
      readonly type: 'TaskBootactionsAwaited';
      readonly data: { readonly node: string; readonly actions: readonly TaskBootaction[]; readonly untilMs: number; readonly atMs: number };
    }
  /** A node's report: its details as messages; a final status of an awaited action ends that wait. */
  | {
      readonly type: 'TaskBootactionReported';
      readonly data: {
        readonly node: string;
        readonly actionId: string;
        readonly actionName: string;
        readonly status: 'success' | 'failure' | null;
        readonly messages: readonly TaskMessage[];
        readonly atMs: number;
      };
    }
  /** On a parent: a subtask is over; `messages` are the subtask's errors, copied with their own times. */
  | {
      readonly type: 'TaskSubtaskEnded';
      readonly data: { readonly subtaskId: string; readonly node: string; readonly status: SubtaskOutcome; readonly messages: readonly TaskMessage[]; readonly atMs: number };
    }
  | { readonly type: 'TaskTerminationRequested'; readonly data: { readonly by: string; readonly atMs: number } }
  /** The end: `complete`, or `terminated` when termination was asked for; `result` as computed then. */
  | {
      readonly type: 'TaskCompleted';
      readonly data: { readonly status: 'complete' | 'terminated'; readonly result: Exclude<TaskResultStatus, 'incomplete'>; readonly message: string | null; readonly atMs: number };
    };

/** What the routes and the orchestration ask of a task. `nowMs`: the caller's clock, epoch ms (UTC). */
export type TaskCommand =
  | {
      readonly type: 'Create';
      readonly taskId: string;
      /** As the client sent it: checked here. */
      readonly action: string;
      readonly designRef: string;
      readonly nodeFilter: NodeFilterSet | null;
      readonly parentTaskId: string | null;
      readonly node: string | null;
      readonly createdBy: string;
      /** This server's id: the one that runs the task. */
      readonly server: string;
      readonly nowMs: number;
    }
  | { readonly type: 'Start'; readonly nowMs: number }
  | { readonly type: 'AddSubtasks'; readonly subtasks: readonly TaskSubtask[]; readonly nowMs: number }
  | { readonly type: 'AddMessages'; readonly messages: readonly TaskMessageInput[]; readonly nowMs: number }
  | { readonly type: 'NodeSucceeded'; readonly node: string; readonly message: string; readonly nowMs: number }
  | { readonly type: 'NodeFailed'; readonly node: string; readonly message: string; readonly nowMs: number }
  /** The node's deploy waits for these signalling bootactions until `untilMs` (epoch ms). */
  | { readonly type: 'AwaitBootactions'; readonly node: string; readonly actions: readonly TaskBootaction[]; readonly untilMs: number; readonly nowMs: number }
  | {
      readonly type: 'BootactionReported';
      readonly node: string;
      readonly actionId: string;
      readonly actionName: string;
      /** Null for a detail-only report. */
      readonly status: 'success' | 'failure' | null;
      readonly details: readonly BootactionDetail[];
      readonly nowMs: number;
    }
  /** `messages`: the subtask's own messageList; its errors are copied onto the parent. */
  | { readonly type: 'SubtaskEnded'; readonly subtaskId: string; readonly node: string; readonly status: SubtaskOutcome; readonly messages: readonly TaskMessage[]; readonly nowMs: number }
  | { readonly type: 'Complete'; readonly message?: string; readonly nowMs: number }
  /** Complete with `failure`, `message` recorded as an error of the task. */
  | { readonly type: 'Fail'; readonly message: string; readonly nowMs: number }
  | { readonly type: 'Terminate'; readonly by: string; readonly nowMs: number }
  | { readonly type: 'Timeout'; readonly deadline: { readonly name: string; readonly atMs: number }; readonly nowMs: number };
