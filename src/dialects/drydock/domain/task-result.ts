import type { TaskMessage, TaskResultStatus } from './task-events.js';

/** A task's result as it accumulates: which nodes succeeded or failed, and what was said. */
export type TaskResult = {
  readonly status: TaskResultStatus;
  readonly message: string | null;
  readonly reason: string | null;
  /** Each node once, in the order it landed; a node is never in both lists. */
  readonly successes: readonly string[];
  readonly failures: readonly string[];
  readonly messages: readonly TaskMessage[];
};

export const emptyTaskResult: TaskResult = { status: 'incomplete', message: null, reason: null, successes: [], failures: [], messages: [] };

/** Whether the node has landed in either list. */
export function hasNodeResult(result: TaskResult, node: string): boolean {
  return result.successes.includes(node) || result.failures.includes(node);
}

/** A failed node stays failed: a later success of it changes no list. */
export function recordSuccess(result: TaskResult, node: string): TaskResult {
  if (hasNodeResult(result, node)) return result;
  return { ...result, successes: [...result.successes, node] };
}

/** A failure wins over an earlier success: the node moves to `failures`. */
export function recordFailure(result: TaskResult, node: string): TaskResult {
  if (result.failures.includes(node)) return result;
  return { ...result, successes: result.successes.filter((other) => other !== node), failures: [...result.failures, node] };
}

export function addMessages(result: TaskResult, messages: readonly TaskMessage[]): TaskResult {
  return messages.length === 0 ? result : { ...result, messages: [...result.messages, ...messages] };
}

export function errorCount(result: TaskResult): number {
  return result.messages.filter((message) => message.error).length;
}

/**
 * The status a task ends with. A task that touched no node succeeds unless it recorded an error (an
 * invalid design); otherwise the nodes decide: all succeeded, some, or none.
 */
export function computeResultStatus(result: TaskResult): Exclude<TaskResultStatus, 'incomplete'> {
  const { successes, failures } = result;
  if (successes.length === 0 && failures.length === 0) return errorCount(result) > 0 ? 'failure' : 'success';
  if (failures.length === 0) return 'success';
  return successes.length === 0 ? 'failure' : 'partial_success';
}
