/** What a Drydock task can be asked to do (`POST /tasks {action}`); anything else is a 400. */
export const TASK_ACTIONS = ['validate_design', 'verify_site', 'prepare_site', 'verify_nodes', 'prepare_nodes', 'deploy_nodes', 'destroy_nodes', 'relabel_nodes'] as const;

export type TaskAction = (typeof TASK_ACTIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(TASK_ACTIONS);

export function isTaskAction(value: unknown): value is TaskAction {
  return typeof value === 'string' && KNOWN.has(value);
}
