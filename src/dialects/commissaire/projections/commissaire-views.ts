import { toDomainEvent, type KnownEventTypes } from '../../../domain/to-domain-event.js';
import type { Decider } from '../../../domain/decider.js';
import type { DomainEvent } from '../../../domain/decider.js';
import type { RecordedEvent } from '../../../store/port.js';
import type { Projection } from '../../../projections/projection-runner.js';
import type { ConfigRecord, ConfigRecordKind } from '../actors/commissaire-lab.js';
import { clusterDecider, type ClusterState, type PresentCluster } from '../domain/cluster-decider.js';
import { containerManagerDecider, networkDecider, type ConfigRecordState } from '../domain/config-record-decider.js';
import { hostDecider, type HostState, type RegisteredHost } from '../domain/host-decider.js';
import { isRegistered } from '../domain/host-state.js';
import { operationDecider, type OperationKind, type OperationState, type StartedOperation } from '../domain/operation-decider.js';
import { COMMISSAIRE_CATEGORIES } from './commissaire-streams.js';

/** Commissaire's read models, folded from its streams: what every GET answers from. */
export interface CommissaireViews {
  host(address: string): RegisteredHost | undefined;
  /** Registered hosts, by address. */
  hosts(): readonly RegisteredHost[];
  cluster(name: string): PresentCluster | undefined;
  /** Clusters, by name. */
  clusters(): readonly PresentCluster[];
  configRecord(kind: ConfigRecordKind, name: string): ConfigRecord | undefined;
  /** Records of one kind, by name. */
  configRecords(kind: ConfigRecordKind): readonly ConfigRecord[];
  /** The latest operation of `kind` on `cluster`, if one ever started. */
  operation(cluster: string, kind: OperationKind): StartedOperation | undefined;
  /** Operations still in process (recovery carries them on). */
  openOperations(): readonly StartedOperation[];
}

/** The states of one stream category, folded with its decider's own `evolve`, by stream id. */
type Folded<State> = { readonly states: Map<string, State>; apply(id: string, recorded: RecordedEvent): void };

function folded<Event extends DomainEvent, State>(decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>, known: KnownEventTypes<Event>): Folded<State> {
  const states = new Map<string, State>();
  return {
    states,
    apply(id, recorded) {
      const event = toDomainEvent(recorded, known);
      if (event !== undefined) states.set(id, decider.evolve(states.get(id) ?? decider.initialState, event));
    },
  };
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function present<State extends { readonly status: string }, Present extends State>(
  states: Map<string, State>,
  isPresent: (state: State) => state is Present,
  key: (state: Present) => string,
): Present[] {
  return [...states.values()].filter(isPresent).sort((a, b) => byName(key(a), key(b)));
}

const isPresentCluster = (state: ClusterState): state is PresentCluster => state.status === 'present';
type PresentRecord = Extract<ConfigRecordState, { status: 'present' }>;
const isPresentRecord = (state: ConfigRecordState): state is PresentRecord => state.status === 'present';
const isStarted = (state: OperationState): state is StartedOperation => state.status !== 'none';
const recordOf = ({ name, recordType, options }: PresentRecord): ConfigRecord => ({ name, recordType, options });

/** Every Commissaire stream (hosts, clusters, networks, container managers, operations) in memory. */
export function createCommissaireViews(): Projection & CommissaireViews {
  const hosts = folded(hostDecider, hostDecider.knownEventTypes);
  const clusters = folded(clusterDecider, clusterDecider.knownEventTypes);
  const records: Record<ConfigRecordKind, Folded<ConfigRecordState>> = {
    network: folded(networkDecider, networkDecider.knownEventTypes),
    containermanager: folded(containerManagerDecider, containerManagerDecider.knownEventTypes),
  };
  const operations = folded(operationDecider, operationDecider.knownEventTypes);
  const byCategory: Record<string, Folded<unknown>> = {
    [COMMISSAIRE_CATEGORIES.host]: hosts,
    [COMMISSAIRE_CATEGORIES.cluster]: clusters,
    [COMMISSAIRE_CATEGORIES.network]: records.network,
    [COMMISSAIRE_CATEGORIES.containerManager]: records.containermanager,
    [COMMISSAIRE_CATEGORIES.operation]: operations,
  };
  const hostState = (address: string): HostState | undefined => hosts.states.get(address);
  return {
    name: 'commissaire',
    filter: { streamPrefixes: Object.keys(byCategory).map((category) => `${category}-`) },
    apply(recorded) {
      const dash = recorded.stream.indexOf('-');
      byCategory[recorded.stream.slice(0, dash)]?.apply(recorded.stream.slice(dash + 1), recorded);
    },
    host(address) {
      const state = hostState(address);
      return state !== undefined && isRegistered(state) ? state : undefined;
    },
    hosts: () => present(hosts.states, isRegistered, (host) => host.address),
    cluster(name) {
      const state = clusters.states.get(name);
      return state !== undefined && isPresentCluster(state) ? state : undefined;
    },
    clusters: () => present(clusters.states, isPresentCluster, (cluster) => cluster.name),
    configRecord(kind, name) {
      const state = records[kind].states.get(name);
      return state !== undefined && isPresentRecord(state) ? recordOf(state) : undefined;
    },
    configRecords: (kind) => present(records[kind].states, isPresentRecord, (record) => record.name).map(recordOf),
    operation(cluster, kind) {
      const state = operations.states.get(operationId(kind, cluster));
      return state !== undefined && isStarted(state) ? state : undefined;
    },
    openOperations: () => [...operations.states.values()].filter((state): state is StartedOperation => state.status === 'in_process'),
  };
}

/** The id of the operation actor of `kind` on `cluster` (stream `clusterop-<kind>-<cluster>`). */
export function operationId(kind: OperationKind, cluster: string): string {
  return `${kind}-${cluster}`;
}
