import { toDomainEvent } from '../../../domain/to-domain-event.js';
import type { Projection } from '../../../projections/projection-runner.js';
import type { RecordedEvent } from '../../../store/port.js';
import { BOOTACTION_EVENT_TYPES } from '../domain/bootaction-decider.js';
import type { BootactionEvent, BootactionStatus, IssuedAsset } from '../domain/bootaction-events.js';

/** One issued bootaction as the routes read it. */
export type BootactionView = {
  readonly actionId: string;
  readonly actionName: string;
  readonly node: string;
  readonly taskId: string;
  readonly key: string;
  readonly signaling: boolean;
  readonly status: BootactionStatus;
  /** What the node's client appends `<action id>/` to. */
  readonly reportUrl: string;
  readonly issuedAtMs: number;
};

/** What one deploy issued to one node: the bootactions sharing one key, and their assets by type. */
export type NodeDeploy = {
  readonly node: string;
  readonly taskId: string;
  readonly key: string;
  /** When its first bootaction was issued: the tarballs' entry times. */
  readonly issuedAtMs: number;
  readonly actions: readonly BootactionView[];
  readonly units: readonly IssuedAsset[];
  readonly files: readonly IssuedAsset[];
};

export interface BootactionReadModel {
  /** A bootaction of any deploy, by its id. */
  action(actionId: string): BootactionView | undefined;
  /** The latest deploy that issued bootactions to `node`, if any did. */
  latestDeploy(node: string): NodeDeploy | undefined;
}

export type BootactionViews = Projection & BootactionReadModel;

type MutableDeploy = { node: string; taskId: string; key: string; issuedAtMs: number; actionIds: string[]; units: IssuedAsset[]; files: IssuedAsset[] };

/**
 * Bootactions folded from `bootaction-*` streams. Every action stays known by id (a late report of an
 * old deploy still gets its 409 or 403, not a 404); only each node's latest deploy keeps its assets.
 * A deploy is told apart by its key: each deploy draws a fresh one per node.
 */
export function createBootactionViews(): BootactionViews {
  const actions = new Map<string, BootactionView>();
  const deploys = new Map<string, MutableDeploy>();

  function issued(data: Extract<BootactionEvent, { type: 'BootactionIssued' }>['data']): void {
    const { actionId, actionName, node, taskId, key, signaling, status, reportUrl, atMs } = data;
    actions.set(actionId, { actionId, actionName, node, taskId, key, signaling, status, reportUrl, issuedAtMs: atMs });
    let deploy = deploys.get(node);
    if (deploy?.key !== key) deploys.set(node, (deploy = { node, taskId, key, issuedAtMs: atMs, actionIds: [], units: [], files: [] }));
    deploy.actionIds.push(actionId);
    for (const asset of data.assets) (asset.type === 'unit' ? deploy.units : deploy.files).push(asset);
  }

  function apply(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded, BOOTACTION_EVENT_TYPES);
    if (event === undefined) return;
    if (event.type === 'BootactionIssued') return issued(event.data);
    if (event.type !== 'BootactionReported') return;
    const actionId = recorded.stream.slice('bootaction-'.length);
    const action = actions.get(actionId);
    if (action !== undefined) actions.set(actionId, { ...action, status: event.data.status });
  }

  function latestDeploy(node: string): NodeDeploy | undefined {
    const deploy = deploys.get(node);
    if (deploy === undefined) return undefined;
    const { actionIds, ...rest } = deploy;
    return { ...rest, actions: actionIds.flatMap((id) => actions.get(id) ?? []), units: [...deploy.units], files: [...deploy.files] };
  }

  return {
    name: 'drydock-bootactions',
    filter: { streamPrefixes: ['bootaction-'] },
    apply,
    action: (actionId) => actions.get(actionId),
    latestDeploy,
  };
}
