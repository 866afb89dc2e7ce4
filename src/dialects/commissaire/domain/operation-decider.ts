import { accept, type Decider, type Decision } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';
import { distinct, NAME_PATTERN, refuse } from './commissaire-rules.js';
import { OPERATION_KINDS, type OperationCommand, type OperationEvent } from './operation-events.js';
import { evolveOperation, initialOperationState, nextHost, type OperationState, type StartedOperation } from './operation-state.js';

export type { OperationCommand, OperationEvent, OperationKind, OperationStatus } from './operation-events.js';
export { nextHost, type OperationState, type StartedOperation } from './operation-state.js';

type Command<Type extends OperationCommand['type']> = Extract<OperationCommand, { type: Type }>;

export const OPERATION_EVENT_TYPES = eventTypes<OperationEvent>({
  ClusterOperationStarted: true,
  ClusterOperationHostStarted: true,
  ClusterOperationHostDone: true,
  ClusterOperationHostFailed: true,
  ClusterOperationFinished: true,
});

function invalidStart(command: Command<'Start'>, state: OperationState): string | undefined {
  if (!NAME_PATTERN.test(command.cluster)) return `bad cluster name ${JSON.stringify(command.cluster)}`;
  if (!OPERATION_KINDS.includes(command.kind)) return `an operation is one of ${OPERATION_KINDS.join(', ')}`;
  if (command.kind === 'deploy' && (command.version === null || command.version === '')) return 'a deploy needs a version';
  if (state.status !== 'none' && (state.kind !== command.kind || state.cluster !== command.cluster)) return `this stream holds ${state.kind} operations of cluster ${state.cluster}`;
  return undefined;
}

/** One operation of a kind at a time per cluster; a cluster with no hosts finishes at once. */
export function decideStart(command: Command<'Start'>, state: OperationState): Decision<OperationEvent> {
  const invalid = invalidStart(command, state);
  if (invalid !== undefined) return refuse('invalid', invalid);
  if (state.status === 'in_process') return refuse('conflict', `a ${state.kind} of cluster ${state.cluster} is in process`);
  const { cluster, kind, nowMs } = command;
  const version = kind === 'deploy' ? command.version : null;
  const hosts = distinct(command.hosts);
  const start: OperationEvent = { type: 'ClusterOperationStarted', data: { cluster, kind, version, hosts, atMs: nowMs } };
  return hosts.length === 0 ? accept<OperationEvent>(start, { type: 'ClusterOperationFinished', data: { atMs: nowMs } }) : accept(start);
}

function isInProcess(state: OperationState): state is StartedOperation {
  return state.status === 'in_process';
}

/** Why host work cannot be recorded on an operation that is not in process. */
function notInProcess(state: OperationState): Decision<OperationEvent> {
  if (state.status === 'none') return refuse('not_found', 'no operation');
  return refuse('conflict', `the ${state.kind} of cluster ${state.cluster} is ${state.status}`);
}

/** Hosts go one at a time, in order; starting the host in process again is the redo after a restart. */
export function decideHostStarted(command: Command<'HostStarted'>, state: OperationState): Decision<OperationEvent> {
  if (!isInProcess(state)) return notInProcess(state);
  if (state.inProcess === command.host) return accept();
  const next = nextHost(state);
  if (next !== command.host) return refuse('conflict', `${command.host} is not the next host (${next ?? 'none'})`);
  return accept({ type: 'ClusterOperationHostStarted', data: { host: command.host, atMs: command.nowMs } });
}

/** A repeated report of a host done changes nothing; the last host done finishes the operation. */
export function decideHostDone(command: Command<'HostDone'>, state: OperationState): Decision<OperationEvent> {
  if (state.status !== 'none' && state.done.includes(command.host)) return accept();
  if (!isInProcess(state)) return notInProcess(state);
  if (state.inProcess !== command.host) return refuse('conflict', `${command.host} is not in process`);
  const done: OperationEvent = { type: 'ClusterOperationHostDone', data: { host: command.host, atMs: command.nowMs } };
  const isLast = state.done.length + 1 === state.hosts.length;
  return isLast ? accept<OperationEvent>(done, { type: 'ClusterOperationFinished', data: { atMs: command.nowMs } }) : accept(done);
}

/** The host in process, or the next one when it failed before its work began (its device was refused). */
export function decideHostFailed(command: Command<'HostFailed'>, state: OperationState): Decision<OperationEvent> {
  if (state.status === 'failed' && state.failure?.host === command.host) return accept();
  if (!isInProcess(state)) return notInProcess(state);
  if (nextHost(state) !== command.host) return refuse('conflict', `${command.host} is not in process`);
  const { host, reason, nowMs } = command;
  return accept({ type: 'ClusterOperationHostFailed', data: { host, reason, atMs: nowMs } });
}

export function decideOperation(command: OperationCommand, state: OperationState): Decision<OperationEvent> {
  switch (command.type) {
    case 'Start':
      return decideStart(command, state);
    case 'HostStarted':
      return decideHostStarted(command, state);
    case 'HostDone':
      return decideHostDone(command, state);
    case 'HostFailed':
      return decideHostFailed(command, state);
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/** A cluster's deploys, upgrades or restarts (stream per cluster and kind), one host at a time. */
export const operationDecider: Decider<OperationCommand, OperationEvent, OperationState> = {
  initialState: initialOperationState,
  knownEventTypes: OPERATION_EVENT_TYPES,
  decide: decideOperation,
  evolve: evolveOperation,
};
