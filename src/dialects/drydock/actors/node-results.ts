import type { EventMetadata } from '../../../store/port.js';
import type { DrydockContext, NodeTask } from './drydock-context.js';

/** The node task's node succeeded: the task records it and, hearing it, completes. */
export async function succeedNode(ctx: DrydockContext, task: NodeTask, message: string, cause: EventMetadata): Promise<void> {
  await ctx.kinds.tasks.ask(task.id, { type: 'NodeSucceeded', node: task.node, message, nowMs: ctx.nowMs() }, cause);
}

export async function failNode(ctx: DrydockContext, task: NodeTask, message: string, cause: EventMetadata): Promise<void> {
  await ctx.kinds.tasks.ask(task.id, { type: 'NodeFailed', node: task.node, message, nowMs: ctx.nowMs() }, cause);
}

/** A step of the node's work, for the task's messageList. */
export async function noteNode(ctx: DrydockContext, task: NodeTask, message: string, cause: EventMetadata): Promise<void> {
  const messages = [{ message, error: false, context_type: 'node', context: task.node }];
  await ctx.kinds.tasks.ask(task.id, { type: 'AddMessages', messages, nowMs: ctx.nowMs() }, cause);
}
