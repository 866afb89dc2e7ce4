import type { ActorSystem } from '../../../actors/actor-system.js';
import type { Lab } from '../../../lab/lab.js';
import { createDeadlineIndex, type DeadlineIndex } from '../../../projections/deadline-index.js';
import type { LabReadModels } from '../../../projections/read-models.js';
import { createBootactionActor, type BootactionKind, type BootactionReport } from '../bootactions/bootaction-actor.js';
import { createBootactionService } from '../bootactions/bootaction-service.js';
import { runDetached } from '../../../lab/lab-context.js';
import type { BootactionViews } from '../projections/bootaction-views.js';
import type { DesignLoader } from '../design/design-loader.js';
import { taskDecider } from '../domain/task-decider.js';
import type { TaskState } from '../domain/task-state.js';
import type { BuildDataViews } from '../projections/build-data.js';
import type { TaskViews } from '../projections/task-views.js';
import { runsHere, type DrydockContext, type DrydockKinds, type DrydockSettings } from './drydock-context.js';
import { createNodeHolderReactions, createTaskActor } from './task-actor.js';
import { recoverTasks, type TaskRecovery } from './task-recovery.js';
import type { NodeFilterSet } from '../domain/design.js';
import type { TaskAction } from '../domain/task-actions.js';

export type NewTask = { readonly taskId: string; readonly action: TaskAction; readonly designRef: string; readonly nodeFilter: NodeFilterSet | null; readonly createdBy: string };

export type TerminateOutcome = { readonly ok: true; readonly state: TaskState } | { readonly ok: false; readonly message: string };

/** Drydock on the core lab: its task and bootaction actors, and what its routes ask of them. */
export type DrydockLab = {
  readonly context: DrydockContext;
  readonly readModels: LabReadModels;
  readonly tasks: TaskViews;
  readonly buildData: BuildDataViews;
  readonly bootactionViews: BootactionViews;
  readonly bootactionKind: BootactionKind;
  /** Creates a task (`queued`); its work starts from the task's own reaction. Resolves once the read models show it. */
  create(task: NewTask, correlationId?: string): Promise<TaskState>;
  terminate(taskId: string, by: string, correlationId?: string): Promise<TerminateOutcome>;
  recover(scope?: ReadonlySet<string>): Promise<TaskRecovery>;
  /** Arms the bootaction waits the log records. Once, at start, after `recover`. */
  restoreDeadlines(): number;
};

/** The deadline index of tasks (bootaction waits); hand it to the projection runner. */
export function createTaskDeadlineIndex(): DeadlineIndex {
  return createDeadlineIndex('task', taskDecider);
}

export type DrydockLabOptions = {
  readonly system: ActorSystem;
  readonly tasks: TaskViews;
  readonly taskDeadlines: DeadlineIndex;
  readonly buildData: BuildDataViews;
  readonly bootactionViews: BootactionViews;
  readonly designs: DesignLoader;
  readonly settings: DrydockSettings;
  readonly onTaskEnded?: (task: TaskState) => void;
};

export function attachDrydockLab(core: Lab, options: DrydockLabOptions): DrydockLab {
  let kinds: DrydockKinds | undefined = undefined;
  let context: DrydockContext | undefined = undefined;
  // The report is stored with its bootaction; the task hears it without holding up the node's answer.
  const onReport = (taskId: string, report: BootactionReport) => {
    const ctx = context;
    if (ctx === undefined) return;
    const details = report.details.map(({ message, error, extra }) => ({ ...extra, message, error }));
    const command = { type: 'BootactionReported', node: report.node, actionId: report.actionId, actionName: report.actionName, status: report.status, details, nowMs: ctx.nowMs() } as const;
    runDetached(ctx, `task ${taskId} bootaction ${report.actionId}`, () => ctx.kinds.tasks.ask(taskId, command, { actor: 'drydock' }));
  };
  const bootactionKind = options.system.register(createBootactionActor(onReport));
  const bootactions = createBootactionService({ kind: bootactionKind, views: options.bootactionViews, nowMs: core.context.nowMs, publicUrl: options.settings.publicUrl, waitFor: core.waitFor });
  context = {
    ...core.context,
    tasks: options.tasks,
    designs: options.designs,
    bootactions,
    bootactionViews: options.bootactionViews,
    settings: options.settings,
    waitFor: core.waitFor,
    onTaskEnded: options.onTaskEnded ?? (() => undefined),
    get kinds(): DrydockKinds {
      if (kinds === undefined) throw new Error('the Drydock lab is still registering its actors');
      return kinds;
    },
  };
  const ctx = context;
  kinds = { ...core.context.kinds, tasks: options.system.register(createTaskActor(ctx)) };
  ctx.holders.register(createNodeHolderReactions(ctx));
  return {
    context: ctx,
    readModels: core.context.readModels,
    tasks: options.tasks,
    buildData: options.buildData,
    bootactionViews: options.bootactionViews,
    bootactionKind,
    async create(task, correlationId) {
      const metadata = correlationId === undefined ? { actor: 'drydock' } : { actor: 'drydock', correlationId };
      const outcome = await ctx.kinds.tasks.ask(task.taskId, { type: 'Create', ...task, parentTaskId: null, node: null, server: ctx.serverId, nowMs: ctx.nowMs() }, metadata);
      if (!outcome.ok) throw new Error(`task ${task.taskId} was not created: ${outcome.rejection.message}`);
      if (outcome.position !== undefined) await core.waitFor(outcome.position);
      return outcome.state;
    },
    async terminate(taskId, by, correlationId) {
      const metadata = correlationId === undefined ? { actor: 'drydock' } : { actor: 'drydock', correlationId };
      const outcome = await ctx.kinds.tasks.ask(taskId, { type: 'Terminate', by, nowMs: ctx.nowMs() }, metadata);
      if (!outcome.ok) return { ok: false, message: outcome.rejection.message };
      if (outcome.position !== undefined) await core.waitFor(outcome.position);
      return { ok: true, state: outcome.state };
    },
    recover: (scope) => recoverTasks(ctx, scope),
    restoreDeadlines() {
      let armed = 0;
      for (const task of options.tasks.open()) {
        if (!runsHere(ctx, task)) continue;
        const deadline = task.taskId === null ? undefined : options.taskDeadlines.deadlineOf(task.taskId);
        if (deadline === undefined || task.taskId === null) continue;
        ctx.kinds.tasks.restoreDeadline(task.taskId, deadline);
        armed++;
      }
      options.taskDeadlines.release();
      return armed;
    },
  };
}
