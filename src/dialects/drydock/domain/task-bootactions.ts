import { accept, reject, type Deadline, type Decision } from '../../../domain/decider.js';
import type { BootactionDetail, TaskCommand, TaskEvent, TaskMessage } from './task-events.js';
import { hasNodeResult } from './task-result.js';
import { ACTIVE_STATUSES, isFinalTask, OPEN_STATUSES, taskRefusal, type BootactionWait, type TaskState } from './task-state.js';

type Command<Type extends TaskCommand['type']> = Extract<TaskCommand, { type: Type }>;

/** Deadlines are named per node, so that a Timeout names the wait it ends. */
const DEADLINE_PREFIX = 'bootactions:';

const listed = (names: readonly string[]): string => `${names.length === 1 ? 'bootaction' : 'bootactions'} ${names.join(', ')}`;

/**
 * How a node's wait ended: success only when every awaited action reported success; `silent` are the
 * actions that never did, `why` says what cut them off.
 */
function nodeOutcome(node: string, failed: readonly string[], silent: readonly string[], why: string, atMs: number): TaskEvent {
  if (failed.length === 0 && silent.length === 0) return { type: 'TaskNodeSucceeded', data: { node, message: 'all bootactions succeeded', atMs } };
  const parts = [...(failed.length > 0 ? [`${listed(failed)} failed`] : []), ...(silent.length > 0 ? [`${listed(silent)} ${why}`] : [])];
  return { type: 'TaskNodeFailed', data: { node, message: parts.join('; '), atMs } };
}

const silentNames = (wait: BootactionWait): string[] => wait.pending.map((action) => action.name);

/** A task ending while nodes still wait: each fails, naming the actions that did not report. */
export function endWaits(state: TaskState, atMs: number): TaskEvent[] {
  const nodes = Object.keys(state.waits).sort();
  return nodes.flatMap((node) => {
    const wait = state.waits[node];
    return wait === undefined ? [] : [nodeOutcome(node, wait.failed, silentNames(wait), 'did not report before the task ended', atMs)];
  });
}

/** A detail as Drydock files it: context is the bootaction's id, the detail's other keys go to `extra`. */
function detailMessage(actionId: string, detail: BootactionDetail, atMs: number): TaskMessage {
  const { message, error, ...extra } = detail;
  return { message, error, context_type: 'bootaction', context: actionId, extra, atMs };
}

/**
 * The node's deploy waits for these actions until `untilMs`. A node already waiting keeps its first
 * wait and deadline (an orchestration resumed after a restart may ask again); a node with a result
 * already is refused; no action means nothing to wait for.
 */
export function decideAwaitBootactions(command: Command<'AwaitBootactions'>, state: TaskState): Decision<TaskEvent> {
  const refused = taskRefusal(state, OPEN_STATUSES, 'wait for bootactions');
  if (refused) return refused;
  const { node, actions, untilMs, nowMs } = command;
  if (state.waits[node] !== undefined || actions.length === 0) return accept();
  if (hasNodeResult(state.result, node)) return reject('conflict', `node ${node} has a result already`);
  const awaited: TaskEvent = { type: 'TaskBootactionsAwaited', data: { node, actions, untilMs, atMs: nowMs } };
  // Every action reported before the wait began: the node's result is known at once.
  if (actions.some((action) => state.reportedStatuses[action.actionId] === undefined)) return accept(awaited);
  const failed = actions.filter((action) => state.reportedStatuses[action.actionId] === 'failure').map((action) => action.name);
  return accept(awaited, nodeOutcome(node, failed, [], '', nowMs));
}

/**
 * Details always become messages; a final status of an awaited action ends that action's wait, and the
 * node's last one decides the node. A report the node is not waiting for (after its timeout) is kept
 * as messages only: the node's result stands.
 */
export function decideBootactionReported(command: Command<'BootactionReported'>, state: TaskState): Decision<TaskEvent> {
  const refused = taskRefusal(state, ACTIVE_STATUSES, 'take a bootaction report');
  if (refused) return refused;
  const { node, actionId, actionName, status, nowMs } = command;
  const messages = command.details.map((detail) => detailMessage(actionId, detail, nowMs));
  const wait = state.waits[node];
  const action = wait?.pending.find((pending) => pending.actionId === actionId);
  const ends = wait !== undefined && action !== undefined && status !== null;
  // A first final status is kept even before any wait: the wait that follows counts it.
  const early = status !== null && state.reportedStatuses[actionId] === undefined;
  if (messages.length === 0 && !ends && !early) return accept();
  const reported: TaskEvent = { type: 'TaskBootactionReported', data: { node, actionId, actionName, status, messages, atMs: nowMs } };
  if (!ends || wait.pending.length > 1) return accept(reported);
  const failed = status === 'failure' ? [...wait.failed, action.name] : wait.failed;
  return accept(reported, nodeOutcome(node, failed, [], '', nowMs));
}

/** The wait named by `deadline` has passed: its node fails, naming the actions that did not report. */
export function decideTimeout(command: Command<'Timeout'>, state: TaskState): Decision<TaskEvent> {
  const { deadline, nowMs } = command;
  const node = deadline.name.startsWith(DEADLINE_PREFIX) ? deadline.name.slice(DEADLINE_PREFIX.length) : undefined;
  const wait = node === undefined ? undefined : state.waits[node];
  // Stale: the wait ended or the task is over; the actor's timer may still fire after either.
  if (node === undefined || wait?.untilMs !== deadline.atMs || nowMs < wait.untilMs || isFinalTask(state)) return accept();
  return accept(nodeOutcome(node, wait.failed, silentNames(wait), 'timed out', nowMs));
}

/** The nearest bootaction wait of a task still running (ties: the node first by name). */
export function bootactionDeadline(state: Pick<TaskState, 'status' | 'waits'>): Deadline | undefined {
  if (isFinalTask(state)) return undefined;
  let nearest: Deadline | undefined;
  for (const node of Object.keys(state.waits).sort()) {
    const untilMs = state.waits[node]!.untilMs;
    if (nearest === undefined || untilMs < nearest.atMs) nearest = { name: `${DEADLINE_PREFIX}${node}`, atMs: untilMs };
  }
  return nearest;
}
