import { accept, reject, type Decision } from '../../../domain/decider.js';
import type { TaskCommand, TaskEvent, TaskMessage, TaskMessageInput, TaskSubtask } from './task-events.js';
import { hasNodeResult } from './task-result.js';
import { ACTIVE_STATUSES, OPEN_STATUSES, taskRefusal, type TaskState } from './task-state.js';

type Command<Type extends TaskCommand['type']> = Extract<TaskCommand, { type: Type }>;

function stamped(input: TaskMessageInput, atMs: number): TaskMessage {
  const { message, error, context_type, context, extra } = input;
  return { message, error, context_type, context, extra: extra ?? {}, atMs };
}

/** New subtasks only, each once, in the order given: a repeated AddSubtasks (a retry) adds nothing. */
export function decideAddSubtasks(command: Command<'AddSubtasks'>, state: TaskState): Decision<TaskEvent> {
  const refused = taskRefusal(state, OPEN_STATUSES, 'add subtasks');
  if (refused) return refused;
  const seen = new Set(state.subtasks.map((subtask) => subtask.taskId));
  const fresh: TaskSubtask[] = [];
  for (const { taskId, node } of command.subtasks) {
    if (seen.has(taskId)) continue;
    seen.add(taskId);
    fresh.push({ taskId, node });
  }
  return fresh.length === 0 ? accept() : accept({ type: 'TaskSubtasksAdded', data: { subtasks: fresh, atMs: command.nowMs } });
}

export function decideAddMessages(command: Command<'AddMessages'>, state: TaskState): Decision<TaskEvent> {
  const refused = taskRefusal(state, ACTIVE_STATUSES, 'add messages');
  if (refused) return refused;
  const messages = command.messages.map((message) => stamped(message, command.nowMs));
  return messages.length === 0 ? accept() : accept({ type: 'TaskMessagesAdded', data: { messages, atMs: command.nowMs } });
}

/**
 * A node that already landed (in either list) stays where it is: a late success changes nothing. A node
 * waiting for bootactions succeeds only by their reports, so a success sent meanwhile is refused.
 */
export function decideNodeSucceeded(command: Command<'NodeSucceeded'>, state: TaskState): Decision<TaskEvent> {
  const refused = taskRefusal(state, ACTIVE_STATUSES, 'record a node');
  if (refused) return refused;
  const { node, message, nowMs } = command;
  if (state.waits[node] !== undefined) return reject('conflict', `node ${node} waits for bootactions: they decide its success`);
  return hasNodeResult(state.result, node) ? accept() : accept({ type: 'TaskNodeSucceeded', data: { node, message, atMs: nowMs } });
}

/** Always recorded: a failure moves a succeeded node to `failures`, and a second one adds its message. */
export function decideNodeFailed(command: Command<'NodeFailed'>, state: TaskState): Decision<TaskEvent> {
  const refused = taskRefusal(state, ACTIVE_STATUSES, 'record a node');
  if (refused) return refused;
  const { node, message, nowMs } = command;
  return accept({ type: 'TaskNodeFailed', data: { node, message, atMs: nowMs } });
}

/**
 * On a parent: the node of a subtask lands by the subtask's status (only `success` is a success), and
 * the subtask's errors are copied so that the parent's own messageList and errorCount tell what went
 * wrong; `?subtaskerrors=true` reads the subtasks themselves. Once per subtask.
 */
export function decideSubtaskEnded(command: Command<'SubtaskEnded'>, state: TaskState): Decision<TaskEvent> {
  const refused = taskRefusal(state, ACTIVE_STATUSES, 'end a subtask');
  if (refused) return refused;
  const { subtaskId, node, status, nowMs } = command;
  const subtask = state.subtasks.find((known) => known.taskId === subtaskId);
  if (subtask === undefined) return reject('not_found', `task ${state.taskId} has no subtask ${subtaskId}`);
  if (subtask.node !== node) return reject('conflict', `subtask ${subtaskId} works on ${subtask.node}, not ${node}`);
  if (state.endedSubtaskIds.includes(subtaskId)) return accept();
  const messages = command.messages.filter((message) => message.error);
  return accept({ type: 'TaskSubtaskEnded', data: { subtaskId, node, status, messages, atMs: nowMs } });
}
