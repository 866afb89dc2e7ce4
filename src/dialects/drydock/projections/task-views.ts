import { toDomainEvent } from '../../../domain/to-domain-event.js';
import type { Projection } from '../../../projections/projection-runner.js';
import { streamId } from '../../../projections/lab/event-time.js';
import { TASK_EVENT_TYPES } from '../domain/task-decider.js';
import { evolveTask, initialTaskState, isFinalTask, type TaskState } from '../domain/task-state.js';

/** Drydock's tasks as its routes and the orchestration read them. */
export interface TaskReadModel {
  get(taskId: string): TaskState | undefined;
  /** Every task, parents and node tasks, oldest first (Drydock's `GET /tasks`). */
  list(): readonly TaskState[];
  /** The node task of `node` not over yet, the newest first; undefined when none works on it. */
  activeNodeTask(node: string): TaskState | undefined;
  /** Tasks not over yet: the recovery at start carries them on. */
  open(): readonly TaskState[];
}

export type TaskViews = Projection & TaskReadModel;

/**
 * Every `task-*` stream folded with the decider's own `evolve`. Tasks are kept whole, history
 * included, as Drydock lists them all.
 */
export function createTaskViews(): TaskViews {
  const tasks = new Map<string, TaskState>();
  const activeByNode = new Map<string, string>();
  let listed: readonly TaskState[] | undefined;

  function track(state: TaskState): void {
    if (state.node === null || state.parentTaskId === null || state.taskId === null) return;
    if (!isFinalTask(state)) activeByNode.set(state.node, state.taskId);
    else if (activeByNode.get(state.node) === state.taskId) activeByNode.delete(state.node);
  }

  return {
    name: 'drydock-tasks',
    filter: { streamPrefixes: ['task-'] },
    apply(recorded) {
      const event = toDomainEvent(recorded, TASK_EVENT_TYPES);
      if (event === undefined) return;
      const id = streamId(recorded.stream, 'task');
      const next = evolveTask(tasks.get(id) ?? initialTaskState, event);
      tasks.set(id, next);
      track(next);
      // Any change may change the list's entries; the order changes only with a new task.
      listed = undefined;
    },
    get: (taskId) => tasks.get(taskId),
    list() {
      listed ??= [...tasks.values()].sort((a, b) => a.createdAtMs - b.createdAtMs);
      return listed;
    },
    activeNodeTask(node) {
      const id = activeByNode.get(node);
      return id === undefined ? undefined : tasks.get(id);
    },
    open: () => [...tasks.values()].filter((task) => !isFinalTask(task)),
  };
}
