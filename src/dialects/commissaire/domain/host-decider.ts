import { accept, type Decider, type Decision } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';
import { ADDRESS_PATTERN, NAME_PATTERN, refuse } from './commissaire-rules.js';
import type { HostCommand, HostEvent, HostFacts, HostStatus } from './host-events.js';
import { evolveHost, initialHostState, isRegistered, type HostState, type RegisteredHost } from './host-state.js';

export type { HostCommand, HostEvent, HostFacts, HostStatus } from './host-events.js';
export type { HostState, RegisteredHost } from './host-state.js';

type Command<Type extends HostCommand['type']> = Extract<HostCommand, { type: Type }>;

export const HOST_EVENT_TYPES = eventTypes<HostEvent>({
  HostRegistered: true,
  HostInvestigated: true,
  HostInvestigationFailed: true,
  HostBootstrapped: true,
  HostBootstrapFailed: true,
  HostClusterAssigned: true,
  HostDeleted: true,
});

function invalidRegistration(command: Command<'Register'>): string | undefined {
  if (!ADDRESS_PATTERN.test(command.address)) return `bad host address ${JSON.stringify(command.address)}`;
  if (command.cluster !== null && !NAME_PATTERN.test(command.cluster)) return `bad cluster name ${JSON.stringify(command.cluster)}`;
  if (command.device === '') return 'a host names its device';
  if (command.credsSealed === '' || command.keyFingerprint === '') return 'a host needs an ssh_priv_key';
  return undefined;
}

/**
 * A repeat with the same key is a success that changes nothing (Commissaire answers 201 again), also
 * when it names no cluster; a different key, or a cluster the host is not in, is a conflict.
 */
function decideReregister(command: Command<'Register'>, host: RegisteredHost): Decision<HostEvent> {
  if (command.keyFingerprint !== host.keyFingerprint) return refuse('conflict', `host ${host.address} is registered with another key`);
  if (command.cluster !== null && command.cluster !== host.cluster) return refuse('conflict', `host ${host.address} is not in cluster ${command.cluster}`);
  return accept();
}

export function decideRegister(command: Command<'Register'>, state: HostState): Decision<HostEvent> {
  const invalid = invalidRegistration(command);
  if (invalid !== undefined) return refuse('invalid', invalid);
  if (isRegistered(state)) return decideReregister(command, state);
  if (command.cluster !== null && !command.clusterExists) return refuse('conflict', `no cluster ${command.cluster}`);
  const { address, device, cluster, credsSealed, keyFingerprint, nowMs } = command;
  return accept({ type: 'HostRegistered', data: { address, device, cluster, credsSealed, keyFingerprint, atMs: nowMs } });
}

/** Why `state` cannot `doing` unless its status is `expected`; undefined when it can. */
function refusal(state: HostState, expected: HostStatus, doing: string): Decision<HostEvent> | undefined {
  if (!isRegistered(state)) return refuse('not_found', 'no such host');
  return state.status === expected ? undefined : refuse('conflict', `host ${state.address} is ${state.status}: cannot ${doing}`);
}

function isValidFacts(facts: HostFacts): boolean {
  const counts = [facts.cpus, facts.memoryKb, facts.spaceKb];
  return counts.every((count) => Number.isInteger(count) && count >= 0) && Number.isFinite(facts.lastCheckMs);
}

export function decideInvestigationSucceeded(command: Command<'InvestigationSucceeded'>, state: HostState): Decision<HostEvent> {
  if (!isValidFacts(command.facts)) return refuse('invalid', 'host facts are counts of 0 or more and a check time');
  return refusal(state, 'investigating', 'record facts') ?? accept({ type: 'HostInvestigated', data: { facts: command.facts, atMs: command.nowMs } });
}

export function decideInvestigationFailed(command: Command<'InvestigationFailed'>, state: HostState): Decision<HostEvent> {
  return refusal(state, 'investigating', 'fail investigation') ?? accept({ type: 'HostInvestigationFailed', data: { reason: command.reason, atMs: command.nowMs } });
}

export function decideBootstrapped(command: Command<'Bootstrapped'>, state: HostState): Decision<HostEvent> {
  const to = command.hasContainerManager ? 'active' : 'disassociated';
  return refusal(state, 'bootstrapping', 'end bootstrap') ?? accept({ type: 'HostBootstrapped', data: { to, atMs: command.nowMs } });
}

export function decideBootstrapFailed(command: Command<'BootstrapFailed'>, state: HostState): Decision<HostEvent> {
  return refusal(state, 'bootstrapping', 'fail bootstrap') ?? accept({ type: 'HostBootstrapFailed', data: { reason: command.reason, atMs: command.nowMs } });
}

export function decideAssignCluster(command: Command<'AssignCluster'>, state: HostState): Decision<HostEvent> {
  if (!isRegistered(state)) return refuse('not_found', 'no such host');
  if (state.cluster === command.cluster) return accept();
  return accept({ type: 'HostClusterAssigned', data: { cluster: command.cluster, atMs: command.nowMs } });
}

/** A host is deleted in any status; the work on it, if any, is its actor's to stop. */
export function decideDelete(command: Command<'Delete'>, state: HostState): Decision<HostEvent> {
  return isRegistered(state) ? accept({ type: 'HostDeleted', data: { atMs: command.nowMs } }) : refuse('not_found', 'no such host');
}

export function decideHost(command: HostCommand, state: HostState): Decision<HostEvent> {
  switch (command.type) {
    case 'Register':
      return decideRegister(command, state);
    case 'InvestigationSucceeded':
      return decideInvestigationSucceeded(command, state);
    case 'InvestigationFailed':
      return decideInvestigationFailed(command, state);
    case 'Bootstrapped':
      return decideBootstrapped(command, state);
    case 'BootstrapFailed':
      return decideBootstrapFailed(command, state);
    case 'AssignCluster':
      return decideAssignCluster(command, state);
    case 'Delete':
      return decideDelete(command, state);
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/** One Commissaire host (stream per address): its registration, sealed credentials and lifecycle. */
export const hostDecider: Decider<HostCommand, HostEvent, HostState> = {
  initialState: initialHostState,
  knownEventTypes: HOST_EVENT_TYPES,
  decide: decideHost,
  evolve: evolveHost,
};
