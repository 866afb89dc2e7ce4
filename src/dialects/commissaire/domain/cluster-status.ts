import type { PresentCluster } from './cluster-decider.js';
import type { HostStatus } from './host-events.js';

export type ClusterHealth = 'ok' | 'degraded' | 'failed';

/** `available`: the active hosts; the others (setting up, disassociated, failed, gone) are unavailable. */
export type ClusterHostCounts = { readonly total: number; readonly available: number; readonly unavailable: number };

/**
 * A cluster's status from its members' host statuses (null for a member with no host record): `failed`
 * when it has hosts and none is active, `degraded` when some are not, else `ok`; a cluster with no hosts
 * is `ok` (Commissaire fails a cluster only when it has hosts).
 */
export function clusterHealth(hostStatuses: readonly (HostStatus | null)[]): { readonly status: ClusterHealth; readonly hosts: ClusterHostCounts } {
  const total = hostStatuses.length;
  const available = hostStatuses.filter((status) => status === 'active').length;
  const hosts = { total, available, unavailable: total - available };
  if (total > 0 && available === 0) return { status: 'failed', hosts };
  return { status: available < total ? 'degraded' : 'ok', hosts };
}

/** GET /cluster/{name}. */
export type ClusterView = {
  readonly name: string;
  readonly status: ClusterHealth;
  readonly network: string;
  /** '' when the cluster has none. */
  readonly container_manager: string;
  readonly hosts: ClusterHostCounts;
};

/** `statusOf`: a member's host status, or null when it has no host record (looked up by the caller). */
export function clusterView(cluster: PresentCluster, statusOf: (address: string) => HostStatus | null): ClusterView {
  const { status, hosts } = clusterHealth(cluster.hosts.map(statusOf));
  return { name: cluster.name, status, network: cluster.network, container_manager: cluster.containerManager ?? '', hosts };
}
