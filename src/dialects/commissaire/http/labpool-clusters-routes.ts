import type { Router } from '@koa/router';
import type { RouteDocs } from '../../../http/openapi/route-doc.js';
import { isoUtc } from '../../../projections/lab/event-time.js';
import { clusterView, type ClusterView } from '../domain/cluster-status.js';
import type { PresentCluster } from '../domain/cluster-decider.js';
import { commissaireTime } from '../domain/commissaire-rules.js';
import type { HostStatus } from '../domain/host-events.js';
import type { RegisteredHost } from '../domain/host-state.js';
import { OPERATION_KINDS, type OperationKind } from '../domain/operation-events.js';
import { operationView, type OperationView } from '../domain/operation-view.js';
import type { CommissaireViews } from '../projections/commissaire-views.js';

/** What investigation learnt of a host, in Commissaire's words and units (kB). */
export type HostFactsEntry = { readonly os: string; readonly cpus: number; readonly memory: number; readonly space: number; readonly last_check: string };

/**
 * One host on the dashboard. A cluster may list an address with no host record (Commissaire lets a
 * member be added before its host registers): then everything but the address is null.
 */
export type HostEntry = {
  readonly address: string;
  readonly status: HostStatus | null;
  /** The labpool device the host is (its page is `/ui/device.html?name=<device>`). */
  readonly device: string | null;
  /** Null until investigated. */
  readonly facts: HostFactsEntry | null;
  /** Why it failed; null unless `failed`. */
  readonly reason: string | null;
  /** Its latest change, ISO 8601 UTC. */
  readonly updated: string | null;
};

/** The latest operation of a kind: Commissaire's own view, plus what it works through and where it failed. */
export type OperationEntry = OperationView & {
  readonly kind: OperationKind;
  readonly hosts: readonly string[];
  readonly failure: { readonly host: string; readonly reason: string } | null;
};

/** A cluster as `GET /cluster/{name}` shows it, with its members and its latest operations. */
export type ClusterEntry = ClusterView & {
  readonly members: readonly HostEntry[];
  readonly operations: Readonly<Record<OperationKind, OperationEntry | null>>;
};

export type ClustersAnswer = { readonly clusters: readonly ClusterEntry[]; readonly unclustered: readonly HostEntry[] };

function hostEntry(address: string, host: RegisteredHost | undefined): HostEntry {
  if (host === undefined) return { address, status: null, device: null, facts: null, reason: null, updated: null };
  const facts = host.facts;
  return {
    address,
    status: host.status,
    device: host.device,
    facts: facts === null ? null : { os: facts.os, cpus: facts.cpus, memory: facts.memoryKb, space: facts.spaceKb, last_check: commissaireTime(facts.lastCheckMs) },
    reason: host.failureReason,
    updated: isoUtc(host.updatedAtMs),
  };
}

function operationEntries(views: CommissaireViews, cluster: string): Record<OperationKind, OperationEntry | null> {
  const entry = (kind: OperationKind): OperationEntry | null => {
    const operation = views.operation(cluster, kind);
    return operation === undefined ? null : { ...operationView(operation), kind, hosts: operation.hosts, failure: operation.failure };
  };
  return { deploy: entry('deploy'), upgrade: entry('upgrade'), restart: entry('restart') };
}

function clusterEntry(views: CommissaireViews, cluster: PresentCluster): ClusterEntry {
  return {
    ...clusterView(cluster, (address) => views.host(address)?.status ?? null),
    members: cluster.hosts.map((address) => hostEntry(address, views.host(address))),
    operations: operationEntries(views, cluster.name),
  };
}

/** Every cluster with its members and operations, then the registered hosts no cluster lists. */
export function describeClusters(views: CommissaireViews): ClustersAnswer {
  const clusters = views.clusters();
  const members = new Set(clusters.flatMap((cluster) => cluster.hosts));
  return {
    clusters: clusters.map((cluster) => clusterEntry(views, cluster)),
    unclustered: views
      .hosts()
      .filter((host) => !members.has(host.address))
      .map((host) => hostEntry(host.address, host)),
  };
}

/**
 * labpool's own view of Commissaire's clusters, for the dashboard: `GET /labpool/clusters/`, read only
 * and without credentials, like the rest of the dashboard's data (it shows no credentials). `views` is
 * read per request: the route may be listed before the lab exists (OpenAPI).
 */
export function registerLabpoolClustersRoutes(router: Router, views: () => CommissaireViews): void {
  router.get('/labpool/clusters{/}', (ctx) => {
    ctx.body = describeClusters(views());
  });
}

const HOST_FIELDS = '{address, status, device, facts: {os, cpus, memory, space, last_check} | null, reason, updated}';

export const labpoolClustersRouteDocs: RouteDocs = {
  'GET /labpool/clusters/': {
    summary: `Commissaire's clusters (no credentials needed): each with its computed status, network, container manager, member hosts and latest ${OPERATION_KINDS.join('/')} operations, and the hosts in no cluster`,
    responses: {
      '200': `\`{"clusters": [{name, status, network, container_manager, hosts: {total, available, unavailable}, members: [${HOST_FIELDS}], operations: {deploy|upgrade|restart: {kind, name, status, started_at, finished_at, in_process, deployed|upgraded|restarted, hosts, failure} | null}}], "unclustered": [${HOST_FIELDS}]}\`; clusters by name, members in cluster order; a member with no host record has null status and device`,
    },
  },
};
