import { commissaireTime } from './commissaire-rules.js';
import type { HostEvent, HostFacts, HostStatus } from './host-events.js';

/** A host as its stream tells it: `unregistered` before registration and after deletion. */
export type HostState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: HostStatus;
      readonly address: string;
      readonly device: string;
      readonly cluster: string | null;
      readonly credsSealed: string;
      readonly keyFingerprint: string;
      /** Null until investigation succeeded. */
      readonly facts: HostFacts | null;
      /** Why the host failed; null unless `failed`. */
      readonly failureReason: string | null;
      readonly registeredAtMs: number;
      /** Time of the latest event. */
      readonly updatedAtMs: number;
    };

export type RegisteredHost = Exclude<HostState, { status: 'unregistered' }>;

export const initialHostState: HostState = { status: 'unregistered' };

export function isRegistered(state: HostState): state is RegisteredHost {
  return state.status !== 'unregistered';
}

function registered(state: HostState, change: (host: RegisteredHost) => RegisteredHost): HostState {
  return isRegistered(state) ? change(state) : state;
}

export function evolveHost(state: HostState, event: HostEvent): HostState {
  const atMs = event.data.atMs;
  switch (event.type) {
    case 'HostRegistered': {
      const { address, device, cluster, credsSealed, keyFingerprint } = event.data;
      return { status: 'investigating', address, device, cluster, credsSealed, keyFingerprint, facts: null, failureReason: null, registeredAtMs: atMs, updatedAtMs: atMs };
    }
    case 'HostInvestigated':
      return registered(state, (host) => ({ ...host, status: 'bootstrapping', facts: event.data.facts, updatedAtMs: atMs }));
    case 'HostInvestigationFailed':
    case 'HostBootstrapFailed':
      return registered(state, (host) => ({ ...host, status: 'failed', failureReason: event.data.reason, updatedAtMs: atMs }));
    case 'HostBootstrapped':
      return registered(state, (host) => ({ ...host, status: event.data.to, updatedAtMs: atMs }));
    case 'HostClusterAssigned':
      return registered(state, (host) => ({ ...host, cluster: event.data.cluster, updatedAtMs: atMs }));
    case 'HostDeleted':
      return initialHostState;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** GET /host/{address}: Commissaire's host record; numbers are 0 and `last_check` '' until investigated. */
export type HostView = {
  readonly address: string;
  readonly status: HostStatus;
  readonly os: string;
  readonly cpus: number;
  readonly memory: number;
  readonly space: number;
  readonly last_check: string;
  /** labpool is the only source of host information. */
  readonly source: '';
};

export function hostView(host: RegisteredHost): HostView {
  const facts = host.facts;
  return {
    address: host.address,
    status: host.status,
    os: facts?.os ?? '',
    cpus: facts?.cpus ?? 0,
    memory: facts?.memoryKb ?? 0,
    space: facts?.spaceKb ?? 0,
    last_check: facts === null ? '' : commissaireTime(facts.lastCheckMs),
    source: '',
  };
}

/** One entry of GET /hosts: the record without `source`, as the document lists it. */
export function hostListEntry(host: RegisteredHost): Omit<HostView, 'source'> {
  const { source: _source, ...entry } = hostView(host);
  return entry;
}

/** GET /host/{address}/status. labpool has no container manager to ask, so its part is empty. */
export type HostStatusView = {
  readonly type: 'host_only';
  readonly host: { readonly last_check: string; readonly status: HostStatus };
  readonly container_manager: Readonly<Record<string, never>>;
};

export function hostStatusView(host: RegisteredHost): HostStatusView {
  const { last_check, status } = hostView(host);
  return { type: 'host_only', host: { last_check, status }, container_manager: {} };
}
