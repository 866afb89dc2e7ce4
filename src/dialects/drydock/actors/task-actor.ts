import type { ActorDefinition, Reaction } from '../../../actors/persistent-actor.js';
import type { HolderReactions } from '../../../lab/holder-reactions.js';
import { reactionMetadata, runDetached } from '../../../lab/lab-context.js';
import type { EventMetadata } from '../../../store/port.js';
import { reactToNodeDevice, type NodeDeviceNews } from '../domain/deployment-holder.js';
import { taskDecider } from '../domain/task-decider.js';
import type { TaskCommand, TaskEvent } from '../domain/task-events.js';
import { isFinalTask, type TaskState } from '../domain/task-state.js';
import { nodeTaskOfState, type DrydockContext } from './drydock-context.js';
import { nodeDeviceDone, nodeDeviceFailed, startNodeWork } from './node-work.js';
import { endNodeTask, startTask, terminateSubtasks } from './task-work.js';

/** Every Drydock task, parent or node task (stream `task-<uuid>`); its reactions drive the work. */
export function createTaskActor(ctx: DrydockContext): ActorDefinition<TaskCommand, TaskEvent, TaskState> {
  return { category: 'task', decider: taskDecider, react: (reaction) => reactToTask(ctx, reaction) };
}

function reactToTask(ctx: DrydockContext, { id, events, state, metadata }: Reaction<TaskEvent, TaskState>): void {
  const cause = reactionMetadata('drydock', metadata);
  const happened = new Set(events.map((event) => event.type));
  const run = (what: string, work: () => Promise<unknown>) => runDetached(ctx, `task ${id} ${what}`, work);
  const node = nodeTaskOfState(state);
  if (happened.has('TaskCreated')) run('start', () => (node === undefined ? startTask(ctx, state, cause) : startNodeTask(ctx, state, cause)));
  if (happened.has('TaskTerminationRequested')) run('termination', () => terminateSubtasks(ctx, state, cause));
  const nodeResult = happened.has('TaskNodeSucceeded') || happened.has('TaskNodeFailed');
  if (node !== undefined && nodeResult && !isFinalTask(state)) run('end', () => ctx.kinds.tasks.ask(id, { type: 'Complete', nowMs: ctx.nowMs() }, cause));
  if (happened.has('TaskCompleted')) ctx.onTaskEnded(state);
  if (node !== undefined && happened.has('TaskCompleted')) run('report', () => endNodeTask(ctx, state, cause));
  if (node === undefined && happened.has('TaskSubtaskEnded') && allSubtasksEnded(state) && !isFinalTask(state)) {
    run('end', () => ctx.kinds.tasks.ask(id, { type: 'Complete', nowMs: ctx.nowMs() }, cause));
  }
}

export function allSubtasksEnded(state: TaskState): boolean {
  return state.subtasks.every((subtask) => state.endedSubtaskIds.includes(subtask.taskId));
}

async function startNodeTask(ctx: DrydockContext, state: TaskState, cause: EventMetadata): Promise<void> {
  const node = nodeTaskOfState(state);
  if (node === undefined) return;
  const started = await ctx.kinds.tasks.ask(node.id, { type: 'Start', nowMs: ctx.nowMs() }, cause);
  if (!started.ok || isFinalTask(started.state)) return;
  await startNodeWork(ctx, node, cause);
}

/**
 * What a device held by Drydock tells the node task working on it: the newest node task of the node
 * not over yet (a verify borrows a deployed node without taking it), else the holder itself.
 */
export function createNodeHolderReactions(ctx: DrydockContext): HolderReactions<NodeDeviceNews> {
  return {
    kind: 'drydock_deployment',
    react: reactToNodeDevice,
    async deliver(holderId, news, cause) {
      const active = ctx.tasks.activeNodeTask(news.node) ?? ctx.tasks.get(holderId);
      if (active === undefined || isFinalTask(active)) return;
      const task = nodeTaskOfState(active);
      if (task?.node !== news.node) return;
      if (news.type === 'DeviceWorkDone') await nodeDeviceDone(ctx, task, cause);
      else await nodeDeviceFailed(ctx, task, news.state, cause);
    },
  };
}
