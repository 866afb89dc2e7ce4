import type { CommandOutcome } from '../../../actors/persistent-actor.js';
import type { Json } from '../../../domain/json.js';
import type { PresentCluster } from '../domain/cluster-decider.js';
import type { ConfigRecordCommand, ConfigRecordEvent, ConfigRecordState } from '../domain/config-record-decider.js';
import type { ActorKind } from '../../../actors/actor-system.js';
import type { HostStatus } from '../domain/host-decider.js';
import type { OperationKind, StartedOperation } from '../domain/operation-decider.js';
import { operationId } from '../projections/commissaire-views.js';
import type { ClusterCreation, CommissaireOutcome, ConfigRecord, ConfigRecordCreation, ConfigRecordKind } from './commissaire-lab.js';
import { commissaireMetadata, type CommissaireContext } from './commissaire-context.js';
import { refusalOf, refused } from './host-commands.js';

/** The outcome of a command whose state is the value, once the read models show it. */
async function settled<Event, State, Value>(ctx: CommissaireContext, outcome: CommandOutcome<Event, State>, value: (state: State) => Value | undefined): Promise<CommissaireOutcome<Value>> {
  if (!outcome.ok) return refusalOf(outcome);
  if (outcome.position !== undefined) await ctx.waitFor(outcome.position);
  const result = value(outcome.state);
  return result === undefined ? refused(404, 'gone meanwhile') : { ok: true, value: result };
}

const presentCluster = (state: { readonly status: string }): PresentCluster | undefined => (state.status === 'present' ? (state as PresentCluster) : undefined);

export async function createCluster(ctx: CommissaireContext, creation: ClusterCreation): Promise<CommissaireOutcome<PresentCluster>> {
  const { name, network, containerManager, by } = creation;
  const outcome = await ctx.kinds.clusters.ask(name, { type: 'Create', name, network, containerManager, nowMs: ctx.nowMs() }, commissaireMetadata(by));
  return settled(ctx, outcome, presentCluster);
}

export async function deleteCluster(ctx: CommissaireContext, name: string, by: string): Promise<CommissaireOutcome<null>> {
  return settled(ctx, await ctx.kinds.clusters.ask(name, { type: 'Delete', nowMs: ctx.nowMs() }, commissaireMetadata(by)), () => null);
}

export async function addClusterHost(ctx: CommissaireContext, name: string, address: string, by: string): Promise<CommissaireOutcome<PresentCluster>> {
  return settled(ctx, await ctx.kinds.clusters.ask(name, { type: 'AddHost', address, nowMs: ctx.nowMs() }, commissaireMetadata(by)), presentCluster);
}

export async function removeClusterHost(ctx: CommissaireContext, name: string, address: string, by: string): Promise<CommissaireOutcome<PresentCluster>> {
  return settled(ctx, await ctx.kinds.clusters.ask(name, { type: 'RemoveHost', address, nowMs: ctx.nowMs() }, commissaireMetadata(by)), presentCluster);
}

export async function replaceClusterHosts(ctx: CommissaireContext, name: string, old: readonly string[], hosts: readonly string[], by: string): Promise<CommissaireOutcome<PresentCluster>> {
  const addedStatuses: Record<string, HostStatus | null> = {};
  for (const address of hosts) addedStatuses[address] = ctx.views.host(address)?.status ?? null;
  const outcome = await ctx.kinds.clusters.ask(name, { type: 'ReplaceHosts', old, new: hosts, addedStatuses, nowMs: ctx.nowMs() }, commissaireMetadata(by));
  return settled(ctx, outcome, presentCluster);
}

const recordOf = (state: ConfigRecordState): ConfigRecord | undefined => (state.status === 'present' ? { name: state.name, recordType: state.recordType, options: state.options } : undefined);

/** The actor kind of a record kind; both fold to the same state, which is all the commands read. */
function recordKind(ctx: CommissaireContext, kind: ConfigRecordKind): ActorKind<ConfigRecordCommand, ConfigRecordEvent, ConfigRecordState> {
  return kind === 'network' ? ctx.kinds.networks : ctx.kinds.containerManagers;
}

export async function createConfigRecord(ctx: CommissaireContext, kind: ConfigRecordKind, creation: ConfigRecordCreation): Promise<CommissaireOutcome<ConfigRecord>> {
  const { name, recordType, by } = creation;
  const command = { type: 'Create', name, recordType, options: creation.options as Json, nowMs: ctx.nowMs() } as const;
  return settled(ctx, await recordKind(ctx, kind).ask(name, command, commissaireMetadata(by)), recordOf);
}

export async function deleteConfigRecord(ctx: CommissaireContext, kind: ConfigRecordKind, name: string, by: string): Promise<CommissaireOutcome<null>> {
  return settled(ctx, await recordKind(ctx, kind).ask(name, { type: 'Delete', nowMs: ctx.nowMs() }, commissaireMetadata(by)), () => null);
}

/** Starts an operation over the cluster's members, in their order; its actor works them one at a time. */
export async function startOperation(ctx: CommissaireContext, cluster: string, kind: OperationKind, version: string | null, by: string): Promise<CommissaireOutcome<StartedOperation>> {
  const present = ctx.views.cluster(cluster);
  if (present === undefined) return refused(404, `no cluster ${cluster}`);
  if (kind === 'deploy' && (version === null || ctx.readModels.images.get(version) === undefined)) return refused(400, `a deploy names a known image as its version, not ${JSON.stringify(version)}`);
  const command = { type: 'Start', cluster, kind, version, hosts: present.hosts, nowMs: ctx.nowMs() } as const;
  const outcome = await ctx.kinds.operations.ask(operationId(kind, cluster), command, commissaireMetadata(by));
  return settled(ctx, outcome, (state) => (state.status === 'none' ? undefined : state));
}
