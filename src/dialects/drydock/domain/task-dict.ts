import type { Json } from '../../../domain/json.js';
import type { NodeFilterSet } from './design.js';
import type { TaskResultStatus, TaskStatus } from './task-events.js';
import { errorCount } from './task-result.js';
import type { TaskState } from './task-state.js';

/** A `result.links` entry: a related resource (build data, a report). */
export type TaskLink = { readonly rel: string; readonly href: string };

export type TaskMessageDict = {
  readonly message: string;
  readonly error: boolean;
  readonly context_type: string;
  readonly context: string;
  /** ISO 8601, UTC. */
  readonly ts: string;
  readonly extra: Readonly<Record<string, Json>>;
};

/** Drydock's task as `GET /tasks/{id}` answers it (spec/NOTES.md, Drydock). Times: ISO 8601 UTC or null. */
export type TaskDict = {
  readonly kind: 'Task';
  readonly apiVersion: 'v1';
  readonly task_id: string;
  readonly action: string;
  readonly parent_task_id: string | null;
  readonly design_ref: string;
  readonly status: TaskStatus;
  readonly node_filter: NodeFilterSet | null;
  readonly subtask_id_list: readonly string[];
  readonly created: string | null;
  readonly created_by: string;
  readonly updated: string | null;
  readonly terminated: string | null;
  readonly terminated_by: string | null;
  readonly terminate: boolean;
  readonly retry: number;
  readonly result: {
    readonly kind: 'Status';
    readonly apiVersion: 'v1.0';
    readonly message: string | null;
    readonly reason: string | null;
    readonly status: TaskResultStatus;
    readonly successes: readonly string[];
    readonly failures: readonly string[];
    readonly links: readonly TaskLink[];
    readonly details: { readonly errorCount: number; readonly messageList: readonly TaskMessageDict[] };
  };
};

const iso = (atMs: number): string => new Date(atMs).toISOString();
const isoOrNull = (atMs: number | null): string | null => (atMs === null ? null : iso(atMs));

function resultDict(state: TaskState, links: readonly TaskLink[]): TaskDict['result'] {
  const { result } = state;
  const messageList = result.messages.map(({ message, error, context_type, context, extra, atMs }) => ({ message, error, context_type, context, ts: iso(atMs), extra }));
  return {
    kind: 'Status',
    apiVersion: 'v1.0',
    message: result.message,
    reason: result.reason,
    status: result.status,
    successes: result.successes,
    failures: result.failures,
    links,
    details: { errorCount: errorCount(result), messageList },
  };
}

/** The task dict of a created task; `links` are the route's (it knows the server's URLs). */
export function toTaskDict(state: TaskState, links: readonly TaskLink[] = []): TaskDict {
  return {
    kind: 'Task',
    apiVersion: 'v1',
    task_id: state.taskId ?? '',
    action: state.action ?? '',
    parent_task_id: state.parentTaskId,
    design_ref: state.designRef,
    status: state.status,
    node_filter: state.nodeFilter,
    subtask_id_list: state.subtasks.map((subtask) => subtask.taskId),
    created: state.taskId === null ? null : iso(state.createdAtMs),
    created_by: state.createdBy,
    updated: isoOrNull(state.updatedAtMs),
    terminated: isoOrNull(state.terminatedAtMs),
    terminated_by: state.terminatedBy,
    terminate: state.terminate,
    retry: state.retry,
    result: resultDict(state, links),
  };
}
