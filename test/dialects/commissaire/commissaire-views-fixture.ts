import type { ConfigRecordKind } from '../../../src/dialects/commissaire/actors/commissaire-lab.js';
import { clusterDecider, type ClusterEvent, type ClusterState, type PresentCluster } from '../../../src/dialects/commissaire/domain/cluster-decider.js';
import { containerManagerDecider, networkDecider, type ConfigRecordEvent, type ConfigRecordState } from '../../../src/dialects/commissaire/domain/config-record-decider.js';
import { hostDecider, type HostEvent, type HostState, type RegisteredHost } from '../../../src/dialects/commissaire/domain/host-decider.js';
import { isRegistered } from '../../../src/dialects/commissaire/domain/host-state.js';
import { operationDecider, type OperationEvent, type OperationKind, type OperationState, type StartedOperation } from '../../../src/dialects/commissaire/domain/operation-decider.js';
import type { CommissaireViews } from '../../../src/dialects/commissaire/projections/commissaire-views.js';

/** What happened to one Commissaire stream, in order. */
export type StreamEvents =
  | readonly ['host', string, readonly HostEvent[]]
  | readonly ['cluster', string, readonly ClusterEvent[]]
  | readonly ['containermanager' | 'network', string, readonly ConfigRecordEvent[]]
  | readonly ['operation', `${OperationKind}-${string}`, readonly OperationEvent[]];

/** A host's registration with its (here meaningless) sealed credentials. */
export function hostRegistered(address: string, device: string, cluster: string | null, atMs: number): HostEvent {
  return { type: 'HostRegistered', data: { address, device, cluster, credsSealed: 'sealed', keyFingerprint: 'fingerprint', atMs } };
}

type Fold<State, Event> = { readonly initialState: State; evolve(state: State, event: Event): State };

function fold<State, Event>(states: Map<string, State>, id: string, decider: Fold<State, Event>, events: readonly Event[]): void {
  states.set(
    id,
    events.reduce((state, event) => decider.evolve(state, event), states.get(id) ?? decider.initialState),
  );
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * Commissaire's views over `streams`, folded with the deciders' own `evolve`: what the real projection
 * keeps, without a store or a runner (a stand-in until the lab's projection is on main).
 */
export function viewsOf(streams: readonly StreamEvents[]): CommissaireViews {
  const hosts = new Map<string, HostState>();
  const clusters = new Map<string, ClusterState>();
  const records = { network: new Map<string, ConfigRecordState>(), containermanager: new Map<string, ConfigRecordState>() };
  const operations = new Map<string, OperationState>();
  for (const [kind, id, events] of streams) {
    if (kind === 'host') fold(hosts, id, hostDecider, events);
    else if (kind === 'cluster') fold(clusters, id, clusterDecider, events);
    else if (kind === 'operation') fold(operations, id, operationDecider, events);
    else if (kind === 'network') fold(records.network, id, networkDecider, events as Parameters<typeof networkDecider.evolve>[1][]);
    else fold(records.containermanager, id, containerManagerDecider, events as Parameters<typeof containerManagerDecider.evolve>[1][]);
  }
  const registered = [...hosts.values()].filter(isRegistered).sort(byKey((host) => host.address));
  const present = [...clusters.values()].filter((state): state is PresentCluster => state.status === 'present').sort(byKey((cluster) => cluster.name));
  const started = [...operations.values()].filter((state): state is StartedOperation => state.status !== 'none');
  const recordList = (kind: ConfigRecordKind) =>
    [...records[kind].values()]
      .flatMap((state) => (state.status === 'present' ? [{ name: state.name, recordType: state.recordType, options: state.options }] : []))
      .sort(byKey((record) => record.name));
  return {
    host: (address) => registered.find((host) => host.address === address),
    hosts: () => registered,
    hostOfDevice: (device): RegisteredHost | undefined => registered.find((host) => host.device === device),
    cluster: (name) => present.find((cluster) => cluster.name === name),
    clusters: () => present,
    configRecord: (kind, name) => recordList(kind).find((record) => record.name === name),
    configRecords: recordList,
    operation: (cluster, kind) => started.find((operation) => operation.cluster === cluster && operation.kind === kind),
    openOperations: () => started.filter((operation) => operation.status === 'in_process'),
  };
}
