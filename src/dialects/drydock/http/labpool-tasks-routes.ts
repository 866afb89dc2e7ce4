import type { Router } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import { queryValue } from '../../../http/route-params.js';
import type { RouteDocs } from '../../../http/openapi/route-doc.js';
import { isoUtc } from '../../../projections/lab/event-time.js';
import type { TaskState } from '../domain/task-state.js';
import type { TaskReadModel } from '../projections/task-views.js';

/** Tasks a list answers without `limit`: a dashboard's worth. */
export const DEFAULT_TASK_LIMIT = 20;
/** The most a list answers: each task carries its nodes, a deploy of a whole lab a few hundred. */
export const MAX_TASK_LIMIT = 200;

const isoOrNull = (atMs: number | null): string | null => (atMs === null ? null : isoUtc(atMs));

/** What a task says of itself: its result's message once over, else its latest message (a node task's progress). */
const messageOf = (task: TaskState): string | null => task.result.message ?? task.result.messages.at(-1)?.message ?? null;

/** One node of a task: its node task's status and result; `requested` until that task exists. */
function describeNode(tasks: TaskReadModel, subtask: { readonly taskId: string; readonly node: string }) {
  const state = tasks.get(subtask.taskId);
  return {
    name: subtask.node,
    task_id: subtask.taskId,
    status: state?.status ?? 'requested',
    result: state?.result.status ?? 'incomplete',
    message: state === undefined ? null : messageOf(state),
    updated: isoOrNull(state?.updatedAtMs ?? null),
  };
}

function describeTask(tasks: TaskReadModel, task: TaskState) {
  return {
    task_id: task.taskId ?? '',
    action: task.action ?? '',
    status: task.status,
    result: task.result.status,
    message: messageOf(task),
    design_ref: task.designRef,
    created_by: task.createdBy,
    created: isoUtc(task.createdAtMs),
    updated: isoOrNull(task.updatedAtMs),
    nodes: task.subtasks.map((subtask) => describeNode(tasks, subtask)),
  };
}

/** `limit`: 1 to {@link MAX_TASK_LIMIT}, else a 400 (problem+json, as every `/labpool/` route). */
function limitOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TASK_LIMIT;
  const limit = /^[0-9]{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_TASK_LIMIT)) throw httpError(400, `limit must be an integer from 1 to ${MAX_TASK_LIMIT}, not '${raw}'`);
  return limit;
}

/**
 * labpool's own view of Drydock's tasks, for the dashboard: `GET /labpool/tasks/` lists the newest
 * tasks created through `POST /tasks` (node tasks appear as their nodes), read only and without a
 * token, like the rest of the dashboard's data. `tasks` is read per request: the route may be listed
 * before the lab exists (OpenAPI).
 */
export function registerLabpoolTasksRoutes(router: Router, tasks: () => TaskReadModel): void {
  router.get('/labpool/tasks{/}', (ctx) => {
    const limit = limitOf(queryValue(ctx, 'limit'));
    const model = tasks();
    const parents = model.list().filter((task) => task.parentTaskId === null && task.taskId !== null);
    // The list is oldest first, ties in log order: reversed, the newest come first.
    const newest = parents.slice(-limit).reverse();
    ctx.body = { total: parents.length, tasks: newest.map((task) => describeTask(model, task)) };
  });
}

export const labpoolTasksRouteDocs: RouteDocs = {
  'GET /labpool/tasks/': {
    summary: "Drydock's newest tasks (no token needed): action, status, result, design, times, and each node's task status and result",
    responses: {
      '200':
        '`{"total": <tasks>, "tasks": [{task_id, action, status, result, message, design_ref, created_by, created, updated, nodes: [{name, task_id, status, result, message, updated}]}]}`, newest first',
      '400': `limit is not an integer from 1 to ${MAX_TASK_LIMIT} (problem+json)`,
    },
    query: [{ name: 'limit', description: `how many tasks, newest first: 1 to ${MAX_TASK_LIMIT} (default ${DEFAULT_TASK_LIMIT})`, schema: { type: 'integer', minimum: 1, maximum: MAX_TASK_LIMIT } }],
  },
};
