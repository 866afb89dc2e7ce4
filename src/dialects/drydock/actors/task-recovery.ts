import type { EventMetadata } from '../../../store/port.js';
import { isInRecoveryScope, type RecoveryScope } from '../../../lab/handover.js';
import { isFinalTask, type TaskState } from '../domain/task-state.js';
import { nodeTaskOfState, runsHere, type DrydockContext, type NodeTask } from './drydock-context.js';
import { issuedTo, nodeDeviceDone, nodeDeviceFailed, startNodeWork } from './node-work.js';
import { allSubtasksEnded } from './task-actor.js';
import { endNodeTask, endTerminatedNodeTask, startTask } from './task-work.js';

const CAUSE: EventMetadata = { actor: 'drydock' };

/** How many tasks the recovery at start carried on, by kind of step. */
export type TaskRecovery = { readonly parents: number; readonly nodeTasks: number };

/**
 * Carries on the tasks a stop cut short, from what the log and the devices say: a task that had not
 * made its node tasks makes them, a node task whose result is in ends, a node task whose device is
 * done goes on as if it had heard it, and one whose work never reached its device starts it again.
 * Node tasks waiting for bootactions only need their deadline (armed by `restoreDeadlines`).
 */
export async function recoverTasks(ctx: DrydockContext, scope?: RecoveryScope): Promise<TaskRecovery> {
  const open = ctx.tasks.open().filter((task) => runsHere(ctx, task));
  // After a handover, only the node tasks of the devices moved: parents and the rest are live work.
  const parents = scope === undefined ? open.filter((task) => task.parentTaskId === null) : [];
  const nodeTasks = open.flatMap((task) => nodeTaskOfState(task) ?? []).filter((task) => isInRecoveryScope(scope, task.node));
  await Promise.all(parents.map((task) => recoverParent(ctx, task)));
  await Promise.all(nodeTasks.map((task) => recoverNodeTask(ctx, task)));
  if (scope !== undefined) return { parents: 0, nodeTasks: nodeTasks.length };
  await Promise.all(
    ctx.tasks
      .list()
      .filter((task) => runsHere(ctx, task))
      .map((task) => reportEnded(ctx, task)),
  );
  return { parents: parents.length, nodeTasks: nodeTasks.length };
}

async function recoverParent(ctx: DrydockContext, task: TaskState): Promise<void> {
  if (task.taskId === null) return;
  if (task.terminate || (task.subtasks.length > 0 && allSubtasksEnded(task))) {
    if (task.subtasks.length === 0 || allSubtasksEnded(task)) await ctx.kinds.tasks.ask(task.taskId, { type: 'Complete', nowMs: ctx.nowMs() }, CAUSE);
    return;
  }
  await startTask(ctx, task, CAUSE);
}

async function recoverNodeTask(ctx: DrydockContext, task: NodeTask): Promise<void> {
  const state = ctx.tasks.get(task.id);
  if (state === undefined) return;
  const { successes, failures } = state.result;
  // Terminating: its work stops rather than starting again.
  if (state.terminate) return endTerminatedNodeTask(ctx, state, CAUSE);
  if (successes.includes(task.node) || failures.includes(task.node)) return void (await ctx.kinds.tasks.ask(task.id, { type: 'Complete', nowMs: ctx.nowMs() }, CAUSE));
  if (task.node in state.waits) return;
  if (state.status === 'queued') await ctx.kinds.tasks.ask(task.id, { type: 'Start', nowMs: ctx.nowMs() }, CAUSE);
  const device = ctx.readModels.devices.get(task.node);
  const mine = device?.holder?.kind === 'drydock_deployment' && device.holder.id === task.id;
  if (mine && device.state.startsWith('failed_')) return nodeDeviceFailed(ctx, task, device.state, CAUSE);
  // Its work is under way: the device resumes it and reports.
  if (mine && device.state !== 'ready') return;
  if (mine && task.action === 'deploy_nodes' && isImagedFor(ctx, task, device.bootConfig)) return nodeDeviceDone(ctx, task, CAUSE);
  await startNodeWork(ctx, task, CAUSE);
}

/** The device installed the image this deploy asked for: its boot config carries the deploy's key. */
function isImagedFor(ctx: DrydockContext, task: NodeTask, installedBootConfig: string): boolean {
  const expected = issuedTo(ctx, task).length > 0 ? ctx.bootactions.bootConfigOf(task.node) : null;
  return installedBootConfig === JSON.stringify(expected ?? {});
}

/** A node task that ended after its parent last heard from it: the parent hears now. */
async function reportEnded(ctx: DrydockContext, task: TaskState): Promise<void> {
  if (task.parentTaskId === null || task.taskId === null || !isFinalTask(task)) return;
  const parent = ctx.tasks.get(task.parentTaskId);
  if (parent === undefined || isFinalTask(parent) || parent.endedSubtaskIds.includes(task.taskId)) return;
  await endNodeTask(ctx, task, CAUSE);
}
