import { accept, type Decider, type Decision } from '../../../domain/decider.js';
import { eventTypes } from '../../../domain/to-domain-event.js';
import { DEFAULT_NETWORK, type ClusterCommand, type ClusterEvent } from './cluster-events.js';
import { ADDRESS_PATTERN, distinct, NAME_PATTERN, refuse, sameSet } from './commissaire-rules.js';
import type { HostStatus } from './host-events.js';

export type { ClusterCommand, ClusterEvent } from './cluster-events.js';

type Command<Type extends ClusterCommand['type']> = Extract<ClusterCommand, { type: Type }>;

/** A cluster as its stream tells it: `absent` before creation and after deletion. */
export type ClusterState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'present';
      readonly name: string;
      readonly network: string;
      readonly containerManager: string | null;
      /** Member addresses, each once, in the order they joined (or as the last replacement listed them). */
      readonly hosts: readonly string[];
      readonly createdAtMs: number;
    };

export type PresentCluster = Extract<ClusterState, { status: 'present' }>;

export const initialClusterState: ClusterState = { status: 'absent' };

export const CLUSTER_EVENT_TYPES = eventTypes<ClusterEvent>({ ClusterCreated: true, ClusterHostAdded: true, ClusterHostRemoved: true, ClusterHostsReplaced: true, ClusterDeleted: true });

/** A host may join through a replacement of the whole membership only once set up; an unknown host may not. */
function isJoinable(status: HostStatus | null | undefined): boolean {
  return status === 'active' || status === 'disassociated';
}

function invalidNames(name: string, network: string, containerManager: string | null): boolean {
  return !NAME_PATTERN.test(name) || !NAME_PATTERN.test(network) || (containerManager !== null && !NAME_PATTERN.test(containerManager));
}

function withHosts(state: ClusterState, hosts: (current: readonly string[]) => readonly string[]): ClusterState {
  return state.status === 'present' ? { ...state, hosts: hosts(state.hosts) } : state;
}

export function evolveCluster(state: ClusterState, event: ClusterEvent): ClusterState {
  switch (event.type) {
    case 'ClusterCreated': {
      const { name, network, containerManager, atMs } = event.data;
      return { status: 'present', name, network, containerManager, hosts: [], createdAtMs: atMs };
    }
    case 'ClusterHostAdded':
      return withHosts(state, (hosts) => distinct([...hosts, event.data.address]));
    case 'ClusterHostRemoved':
      return withHosts(state, (hosts) => hosts.filter((host) => host !== event.data.address));
    case 'ClusterHostsReplaced':
      return withHosts(state, () => event.data.hosts);
    case 'ClusterDeleted':
      return initialClusterState;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** An identical re-creation is a success that changes nothing (Commissaire answers 201 again). */
export function decideCreate(command: Command<'Create'>, state: ClusterState): Decision<ClusterEvent> {
  const { name, containerManager, nowMs } = command;
  const network = command.network ?? DEFAULT_NETWORK;
  if (invalidNames(name, network, containerManager)) return refuse('invalid', 'cluster, network and container manager names are [A-Za-z0-9_-]+');
  if (state.status === 'present') {
    const same = state.network === network && state.containerManager === containerManager;
    return same ? accept() : refuse('conflict', `cluster ${name} exists with another network or container manager`);
  }
  return accept({ type: 'ClusterCreated', data: { name, network, containerManager, atMs: nowMs } });
}

export function decideAddHost(command: Command<'AddHost'>, state: ClusterState): Decision<ClusterEvent> {
  if (state.status === 'absent') return refuse('not_found', 'no such cluster');
  if (!ADDRESS_PATTERN.test(command.address)) return refuse('invalid', `bad host address ${JSON.stringify(command.address)}`);
  if (state.hosts.includes(command.address)) return accept();
  return accept({ type: 'ClusterHostAdded', data: { address: command.address, atMs: command.nowMs } });
}

export function decideRemoveHost(command: Command<'RemoveHost'>, state: ClusterState): Decision<ClusterEvent> {
  if (state.status === 'absent') return refuse('not_found', 'no such cluster');
  if (!state.hosts.includes(command.address)) return refuse('not_found', `host ${command.address} is not in cluster ${state.name}`);
  return accept({ type: 'ClusterHostRemoved', data: { address: command.address, atMs: command.nowMs } });
}

/**
 * Replaces the membership when the client saw the current one (else 409, as Commissaire's
 * compare-and-swap did); a host may join only once it is `active` or `disassociated` (else 405).
 */
export function decideReplaceHosts(command: Command<'ReplaceHosts'>, state: ClusterState): Decision<ClusterEvent> {
  if (state.status === 'absent') return refuse('not_found', 'no such cluster');
  if (!sameSet(command.old, state.hosts)) return refuse('conflict', `the hosts of cluster ${state.name} are not the given old list`);
  const hosts = distinct(command.new);
  const bad = hosts.find((host) => !ADDRESS_PATTERN.test(host));
  if (bad !== undefined) return refuse('invalid', `bad host address ${JSON.stringify(bad)}`);
  const added = hosts.filter((host) => !state.hosts.includes(host));
  const notReady = added.find((host) => !isJoinable(command.addedStatuses[host]));
  if (notReady !== undefined) return refuse('not_allowed', `host ${notReady} is ${command.addedStatuses[notReady] ?? 'unknown'}: only active or disassociated hosts may join`);
  const removed = state.hosts.filter((host) => !hosts.includes(host));
  if (added.length === 0 && removed.length === 0) return accept();
  return accept({ type: 'ClusterHostsReplaced', data: { hosts, added, removed, atMs: command.nowMs } });
}

/** The event names the members, so that a reaction releases their devices. */
export function decideDelete(command: Command<'Delete'>, state: ClusterState): Decision<ClusterEvent> {
  if (state.status === 'absent') return refuse('not_found', 'no such cluster');
  return accept({ type: 'ClusterDeleted', data: { hosts: state.hosts, atMs: command.nowMs } });
}

export function decideCluster(command: ClusterCommand, state: ClusterState): Decision<ClusterEvent> {
  switch (command.type) {
    case 'Create':
      return decideCreate(command, state);
    case 'AddHost':
      return decideAddHost(command, state);
    case 'RemoveHost':
      return decideRemoveHost(command, state);
    case 'ReplaceHosts':
      return decideReplaceHosts(command, state);
    case 'Delete':
      return decideDelete(command, state);
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/** One Commissaire cluster (stream per name): its network, container manager and members. */
export const clusterDecider: Decider<ClusterCommand, ClusterEvent, ClusterState> = {
  initialState: initialClusterState,
  knownEventTypes: CLUSTER_EVENT_TYPES,
  decide: decideCluster,
  evolve: evolveCluster,
};
