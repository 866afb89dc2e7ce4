import type { ActorDefinition, Reaction } from '../../../actors/persistent-actor.js';
import { reactionMetadata, runDetached } from '../../../lab/lab-context.js';
import type { EventMetadata } from '../../../store/port.js';
import { clusterDecider, type ClusterCommand, type ClusterEvent, type ClusterState } from '../domain/cluster-decider.js';
import { containerManagerDecider, networkDecider, type ConfigRecordCommand, type ConfigRecordState, type ContainerManagerEvent, type NetworkEvent } from '../domain/config-record-decider.js';
import { hostDecider, type HostCommand, type HostEvent, type HostState } from '../domain/host-decider.js';
import { operationDecider, type OperationCommand, type OperationEvent, type OperationState } from '../domain/operation-decider.js';
import { COMMISSAIRE_CATEGORIES } from '../projections/commissaire-streams.js';
import type { CommissaireContext } from './commissaire-context.js';
import { bootstrapHost, investigateHost } from './host-work.js';
import { startNextHost } from './operation-work.js';

/** A host (stream `commhost-<address>`): registration starts its investigation, which leads to its bootstrap. */
export function createHostActor(ctx: CommissaireContext): ActorDefinition<HostCommand, HostEvent, HostState> {
  return {
    category: COMMISSAIRE_CATEGORIES.host,
    decider: hostDecider,
    react({ id, events, state, metadata }: Reaction<HostEvent, HostState>) {
      const cause = reactionMetadata('commissaire', metadata);
      const happened = new Set(events.map((event) => event.type));
      if (happened.has('HostRegistered')) runDetached(ctx, `host ${id} investigation`, () => investigateHost(ctx, id, cause));
      if (happened.has('HostInvestigated') && state.status === 'bootstrapping') runDetached(ctx, `host ${id} bootstrap`, () => bootstrapHost(ctx, state, cause));
    },
  };
}

/** Tells a host which cluster it is in now; a host with no record (membership may name any address) is left alone. */
async function assign(ctx: CommissaireContext, address: string, cluster: string | null, from: string, cause: EventMetadata): Promise<void> {
  const { state } = await ctx.kinds.hosts.read(address);
  if (state.status === 'unregistered') return;
  // A host that left a cluster for another one keeps the other one.
  if (cluster === null && state.cluster !== from) return;
  await ctx.kinds.hosts.ask(address, { type: 'AssignCluster', cluster, nowMs: ctx.nowMs() }, cause);
}

function membershipChanges(name: string, event: ClusterEvent): readonly (readonly [string, string | null])[] {
  switch (event.type) {
    case 'ClusterHostAdded':
      return [[event.data.address, name]];
    case 'ClusterHostRemoved':
      return [[event.data.address, null]];
    case 'ClusterHostsReplaced':
      return [...event.data.removed.map((address) => [address, null] as const), ...event.data.added.map((address) => [address, name] as const)];
    case 'ClusterDeleted':
      return event.data.hosts.map((address) => [address, null] as const);
    default:
      return [];
  }
}

/** A cluster (stream `commcluster-<name>`): its members follow its membership changes. */
export function createClusterActor(ctx: CommissaireContext): ActorDefinition<ClusterCommand, ClusterEvent, ClusterState> {
  return {
    category: COMMISSAIRE_CATEGORIES.cluster,
    decider: clusterDecider,
    react({ id, events, metadata }: Reaction<ClusterEvent, ClusterState>) {
      const cause = reactionMetadata('commissaire', metadata);
      for (const [address, cluster] of events.flatMap((event) => membershipChanges(id, event))) {
        runDetached(ctx, `host ${address} joins ${cluster ?? 'no cluster'}`, () => assign(ctx, address, cluster, id, cause));
      }
    },
  };
}

export function createNetworkActor(): ActorDefinition<ConfigRecordCommand, NetworkEvent, ConfigRecordState> {
  return { category: COMMISSAIRE_CATEGORIES.network, decider: networkDecider };
}

export function createContainerManagerActor(): ActorDefinition<ConfigRecordCommand, ContainerManagerEvent, ConfigRecordState> {
  return { category: COMMISSAIRE_CATEGORIES.containerManager, decider: containerManagerDecider };
}

/** A cluster's operation of one kind (stream `clusterop-<kind>-<cluster>`): one host at a time, each started by the end of the one before. */
export function createOperationActor(ctx: CommissaireContext): ActorDefinition<OperationCommand, OperationEvent, OperationState> {
  return {
    category: COMMISSAIRE_CATEGORIES.operation,
    decider: operationDecider,
    react({ id, events, state, metadata }: Reaction<OperationEvent, OperationState>) {
      if (state.status === 'none') return;
      const cause = reactionMetadata('commissaire', metadata);
      const happened = new Set(events.map((event) => event.type));
      const moved = happened.has('ClusterOperationStarted') || happened.has('ClusterOperationHostDone');
      if (state.status === 'in_process' && moved) runDetached(ctx, `operation ${id} next host`, () => startNextHost(ctx, state, cause));
      if (state.status !== 'in_process' && (happened.has('ClusterOperationFinished') || happened.has('ClusterOperationHostFailed'))) ctx.onOperationEnded(state);
    },
  };
}
