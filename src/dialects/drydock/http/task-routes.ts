import { randomUUID } from 'node:crypto';
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { httpError } from '../../../http/errors.js';
import { requestIdOf } from '../../../logging/request-logging.js';
import { isTaskAction } from '../domain/task-actions.js';
import { toTaskDict } from '../domain/task-dict.js';
import type { TaskState } from '../domain/task-state.js';
import type { DrydockLab } from '../actors/drydock-lab.js';
import { DRYDOCK_PREFIX } from './base-routes.js';
import type { DrydockAccess } from './drydock-auth.js';
import { drydockUser } from './drydock-auth.js';
import { checkNodeFilterSet } from '../domain/node-filter.js';
import { jsonObjectBody } from './drydock-body.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** falcon's `get_param_as_bool`: these spellings are true, these false; anything else is a 400. */
const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 't', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'f', 'no', 'n', '0', 'off']);

function boolParam(ctx: Context, name: string): boolean {
  const value = ctx.query[name];
  if (value === undefined) return false;
  const text = Array.isArray(value) ? (value[0] ?? '') : value;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  throw httpError(400, `The "${name}" parameter is invalid: the value must be a boolean`);
}

/** `layers` as Drydock reads it: an integer, anything else 0 (the task alone). */
function layersParam(ctx: Context): number {
  const value = ctx.query.layers;
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && /^-?\d+$/.test(text.trim()) ? Number(text) : 0;
}

function taskUrl(taskId: string): string {
  return `${DRYDOCK_PREFIX}/tasks/${taskId}`;
}

/** Drydock's task routes: list, create (201 + Location), show with its layers, builddata, and terminate. */
export function registerTaskRoutes(router: Router, lab: DrydockLab, access: DrydockAccess): void {
  const dict = (state: TaskState) => toTaskDict(state, [{ rel: 'self', href: taskUrl(state.taskId ?? '') }]);
  const find = (id: string) => (UUID.test(id) ? lab.tasks.get(id.toLowerCase()) : undefined);

  router.get(`${DRYDOCK_PREFIX}/tasks{/}`, access.read, (ctx) => {
    ctx.body = lab.tasks.list().map(dict);
  });

  router.post(`${DRYDOCK_PREFIX}/tasks{/}`, access.task, async (ctx) => {
    const body = jsonObjectBody(ctx);
    const { action, design_ref: designRef, node_filter: nodeFilter } = body;
    if (!isTaskAction(action)) throw httpError(400, `Unsupported action ${typeof action === 'string' ? action : JSON.stringify(action ?? null)}`);
    if (typeof designRef !== 'string' || designRef === '') throw httpError(400, 'Task creation requires fields design_ref, action');
    const filter = checkNodeFilterSet(nodeFilter ?? null);
    if (!filter.ok) throw httpError(400, filter.problems.join('; '));
    const taskId = randomUUID();
    const state = await lab.create({ taskId, action, designRef, nodeFilter: filter.filter, createdBy: drydockUser(ctx) }, requestIdOf(ctx));
    ctx.status = 201;
    ctx.set('Location', taskUrl(taskId));
    ctx.body = dict(state);
  });

  router.get(`${DRYDOCK_PREFIX}/tasks/:id{/}`, access.read, (ctx) => {
    const id = ctx.params['id'] ?? '';
    const task = find(id);
    if (task === undefined) throw httpError(404, `Task ${id} does not exist`);
    ctx.body = showTask(lab, task, { builddata: boolParam(ctx, 'builddata'), subtaskErrors: boolParam(ctx, 'subtaskerrors'), layers: layersParam(ctx) }, dict);
  });

  router.delete(`${DRYDOCK_PREFIX}/tasks/:id{/}`, access.task, async (ctx) => {
    const id = ctx.params['id'] ?? '';
    const task = find(id);
    if (task?.taskId === null || task === undefined) throw httpError(404, `Task ${id} does not exist`);
    const outcome = await lab.terminate(task.taskId, drydockUser(ctx), requestIdOf(ctx));
    if (!outcome.ok) throw httpError(409, outcome.message);
    ctx.body = dict(outcome.state);
  });

  router.get(`${DRYDOCK_PREFIX}/tasks/:id/builddata{/}`, access.read, (ctx) => {
    const task = find(ctx.params['id'] ?? '');
    const records = task === undefined ? [] : lab.buildData.forTasks(taskFamily(lab, task));
    if (records.length === 0) throw httpError(404, 'No build data found');
    ctx.body = records;
  });
}

type ShowOptions = { readonly builddata: boolean; readonly subtaskErrors: boolean; readonly layers: number };

/** The task, its build data, and with `layers` a dict of it and its subtasks, layer by layer, as Drydock answers. */
function showTask(lab: DrydockLab, task: TaskState, options: ShowOptions, dict: (state: TaskState) => object): object {
  const render = (state: TaskState) => (options.builddata ? { ...dict(state), build_data: lab.buildData.forTasks(new Set([state.taskId ?? ''])) } : dict(state));
  const errors: Record<string, object> = {};
  const layered: Record<string, unknown> = { init_task_id: task.taskId ?? '', [task.taskId ?? '']: render(task) };
  let queued = task.subtasks.map((subtask) => subtask.taskId);
  for (let layer = 1; queued.length > 0 && (layer < options.layers || options.layers === -1 || options.subtaskErrors); layer++) {
    const next: string[] = [];
    for (const id of queued) {
      const sub = lab.tasks.get(id);
      if (sub === undefined) continue;
      if (layer < options.layers || options.layers === -1) layered[id] = render(sub);
      next.push(...sub.subtasks.map((subtask) => subtask.taskId));
      if (options.subtaskErrors && sub.result.messages.some((message) => message.error)) errors[id] = { ...(dict(sub) as { result: object }).result, task_id: id };
    }
    queued = next;
  }
  const body = options.layers !== 0 ? layered : render(task);
  return options.subtaskErrors ? { ...body, subtask_errors: errors } : body;
}

/** The task and every task under it. */
function taskFamily(lab: DrydockLab, task: TaskState): ReadonlySet<string> {
  const ids = new Set<string>();
  const visit = (state: TaskState | undefined) => {
    if (state?.taskId === null || state === undefined || ids.has(state.taskId)) return;
    ids.add(state.taskId);
    for (const subtask of state.subtasks) visit(lab.tasks.get(subtask.taskId));
  };
  visit(task);
  return ids;
}
