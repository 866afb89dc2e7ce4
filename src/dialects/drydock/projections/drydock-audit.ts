import { createAuditFold, type AuditKind } from '../../../projections/audit/audit-kinds.js';
import { TASK_EVENT_TYPES } from '../domain/task-decider.js';
import type { TaskEvent } from '../domain/task-events.js';
import { evolveTask, initialTaskState, type TaskState } from '../domain/task-state.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A task with the word an audit lists it by: its Drydock status. */
type AuditedTask = TaskState & { readonly state: string };

const audited = (task: TaskState): AuditedTask => ({ ...task, state: task.status });

/** Drydock tasks, parents and node tasks, by their UUID (`task-<uuid>`). */
export const taskAudit: AuditKind = {
  category: 'task',
  parseId: (raw) => (UUID.test(raw) ? raw.toLowerCase() : undefined),
  streamOf: (id) => `task-${id}`,
  describeBadId: (raw) => `a task id is a UUID, not '${raw}'`,
  fold: createAuditFold<TaskEvent, AuditedTask>({ initialState: audited(initialTaskState), evolve: (task, event) => audited(evolveTask(task, event)), knownTypes: TASK_EVENT_TYPES }),
};
