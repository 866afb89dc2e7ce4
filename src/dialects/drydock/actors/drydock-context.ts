import type { ActorKind } from '../../../actors/actor-system.js';
import type { LabContext, LabKinds } from '../../../lab/lab-context.js';
import type { WaitForPosition } from '../../../lab/lab.js';
import type { BootactionService } from '../bootactions/bootaction-service.js';
import type { DesignLoader } from '../design/design-loader.js';
import type { TaskCommand, TaskEvent } from '../domain/task-events.js';
import type { TaskState } from '../domain/task-state.js';
import type { TaskViews } from '../projections/task-views.js';
import type { BootactionViews } from '../projections/bootaction-views.js';

export type TaskKind = ActorKind<TaskCommand, TaskEvent, TaskState>;

export type DrydockKinds = LabKinds & { readonly tasks: TaskKind };

/** Drydock's settings, with defaults applied (docs/configuration.md). */
export type DrydockSettings = {
  readonly designFolder: string;
  readonly bootactionTimeoutMs: number;
  readonly eraseImage: string;
  /** Where nodes reach this server (bootaction report URLs, boot data). */
  readonly publicUrl: string;
};

/** What Drydock's actors and services share: the core lab's context with its tasks, designs and bootactions. */
export type DrydockContext = Omit<LabContext, 'kinds'> & {
  readonly kinds: DrydockKinds;
  readonly tasks: TaskViews;
  readonly designs: DesignLoader;
  readonly bootactions: BootactionService;
  readonly bootactionViews: BootactionViews;
  readonly settings: DrydockSettings;
  readonly waitFor: WaitForPosition;
  /** A task of this server ended (metrics). */
  readonly onTaskEnded: (task: TaskState) => void;
};

/**
 * Whether this server runs `task`: the one it was created on. Servers sharing a store each recover,
 * arm and carry on only their own tasks; a task recorded before tasks named their server is anyone's.
 */
export function runsHere(ctx: Pick<DrydockContext, 'serverId'>, task: Pick<TaskState, 'server'>): boolean {
  return task.server === null || task.server === ctx.serverId;
}

/** A node task (the subtask of one node) as its work reads it. */
export type NodeTask = {
  readonly id: string;
  readonly parentTaskId: string;
  readonly node: string;
  readonly action: string;
  readonly designRef: string;
};

/** The node task in `state`, when it is one. */
export function nodeTaskOfState(state: TaskState): NodeTask | undefined {
  const { taskId, parentTaskId, node, action, designRef } = state;
  if (taskId === null || parentTaskId === null || node === null || action === null) return undefined;
  return { id: taskId, parentTaskId, node, action, designRef };
}
