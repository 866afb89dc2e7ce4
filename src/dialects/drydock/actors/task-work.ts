import type { EventMetadata } from '../../../store/port.js';
import type { DesignMessage } from '../design/design-messages.js';
import { filterableNode } from '../domain/design-nodes.js';
import type { NodeFilterSet } from '../domain/design.js';
import { selectNodes } from '../domain/node-filter.js';
import { nodeTaskId } from './node-task-id.js';
import type { TaskCommand, TaskMessageInput } from '../domain/task-events.js';
import { isFinalTask, type TaskState } from '../domain/task-state.js';
import type { DrydockContext } from './drydock-context.js';
import { verifySite } from './site-checks.js';

type Send = (command: TaskCommand) => Promise<unknown>;

/**
 * Runs a task POST /tasks created: site actions at once, node actions as one node task per node the
 * filter selects. Idempotent (node task ids derive from the task and node), so the recovery at start
 * runs it again for a task a crash cut short.
 */
export async function startTask(ctx: DrydockContext, state: TaskState, cause: EventMetadata): Promise<void> {
  const id = state.taskId;
  if (id === null || isFinalTask(state)) return;
  const send: Send = (command) => ctx.kinds.tasks.ask(id, command, cause);
  if (state.status === 'queued') await send({ type: 'Start', nowMs: ctx.nowMs() });
  const loaded = await ctx.designs.load(state.designRef);
  // A validation lists every check it passed; other tasks keep only what is worth reading.
  const worth = state.action === 'validate_design' ? loaded.messages : loaded.messages.filter((message) => message.level !== 'Info');
  const messages = worth.map((message) => designMessage(state.designRef, message));
  if (messages.length > 0) await send({ type: 'AddMessages', messages, nowMs: ctx.nowMs() });
  if (!loaded.ok) return void (await send({ type: 'Fail', message: `design ${state.designRef} is not valid`, nowMs: ctx.nowMs() }));
  switch (state.action) {
    case 'validate_design':
      return void (await send({ type: 'Complete', message: `design ${state.designRef} is valid`, nowMs: ctx.nowMs() }));
    case 'verify_site':
      return verifySite(ctx, loaded.design, send);
    case 'prepare_site':
      return void (await send({ type: 'Complete', message: 'nothing to prepare: labpool writes PXE files per boot and serves them over TFTP', nowMs: ctx.nowMs() }));
    default:
      return startNodeTasks(ctx, state, id, send, cause);
  }
}

function designMessage(designRef: string, message: DesignMessage): TaskMessageInput {
  return { message: message.message, error: message.error, context_type: 'design', context: designRef };
}

async function startNodeTasks(ctx: DrydockContext, state: TaskState, id: string, send: Send, cause: EventMetadata): Promise<void> {
  const nodes = selectNodes(state.nodeFilter, ctx.readModels.devices.list().map(filterableNode));
  if (nodes.length === 0) return void (await send({ type: 'Complete', message: 'the node filter selects no node', nowMs: ctx.nowMs() }));
  const subtasks = nodes.map((node) => ({ taskId: nodeTaskId(id, node), node }));
  await send({ type: 'AddSubtasks', subtasks, nowMs: ctx.nowMs() });
  const { action, designRef, createdBy } = state;
  await Promise.all(
    subtasks.map(({ taskId, node }) => {
      const create = { type: 'Create', taskId, action: action ?? '', designRef, nodeFilter: oneNode(node), parentTaskId: id, node, createdBy, nowMs: ctx.nowMs() } as const;
      return ctx.kinds.tasks.ask(taskId, create, cause);
    }),
  );
}

function oneNode(node: string): NodeFilterSet {
  return { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: [node] }] };
}

/** A node task is over: its parent hears how it went. */
export async function endNodeTask(ctx: DrydockContext, state: TaskState, cause: EventMetadata): Promise<void> {
  const { parentTaskId, taskId, node, result } = state;
  if (parentTaskId === null || taskId === null || node === null || result.status === 'incomplete') return;
  const command = { type: 'SubtaskEnded', subtaskId: taskId, node, status: result.status, messages: result.messages, nowMs: ctx.nowMs() } as const;
  await ctx.kinds.tasks.ask(parentTaskId, command, cause);
}

/** A parent asked to terminate stops its node tasks not over yet; with none left it ends at once. */
export async function terminateSubtasks(ctx: DrydockContext, state: TaskState, cause: EventMetadata): Promise<void> {
  if (state.taskId === null) return;
  const by = state.terminatedBy ?? 'unknown';
  const open = state.subtasks.filter((subtask) => !state.endedSubtaskIds.includes(subtask.taskId));
  if (state.parentTaskId !== null || open.length === 0) return void (await ctx.kinds.tasks.ask(state.taskId, { type: 'Complete', nowMs: ctx.nowMs() }, cause));
  await Promise.all(open.map((subtask) => ctx.kinds.tasks.ask(subtask.taskId, { type: 'Terminate', by, nowMs: ctx.nowMs() }, cause)));
}
