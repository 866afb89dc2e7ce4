import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { clusterView, type ClusterHealth } from './domain/cluster-status.js';
import type { HostStatus } from './domain/host-events.js';
import { OPERATION_KINDS, type OperationKind, type OperationStatus } from './domain/operation-events.js';
import type { CommissaireViews } from './projections/commissaire-views.js';

export type CommissaireMetrics = {
  /** An operation ended (`finished` or `failed`) after `durationMs` from its start. */
  operationEnded(kind: OperationKind, status: Exclude<OperationStatus, 'in_process'>, durationMs: number): void;
};

// Records, so that a status added to the union without a line here fails to compile.
const HOST_STATUSES = Object.keys({ investigating: true, bootstrapping: true, active: true, disassociated: true, failed: true } satisfies Record<HostStatus, true>);
const CLUSTER_STATUSES = Object.keys({ ok: true, degraded: true, failed: true } satisfies Record<ClusterHealth, true>);

/** Counts of `keys`, every known one present (0 when none), so a status that empties reads 0, not absent. */
function countBy(known: readonly string[], keys: readonly string[]): Map<string, number> {
  const counts = new Map(known.map((key) => [key, 0]));
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function registerGauges(registry: Registry, views: () => CommissaireViews): void {
  new Gauge({
    name: 'labpool_commissaire_hosts',
    help: 'Commissaire hosts by status',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      for (const [status, count] of countBy(
        HOST_STATUSES,
        views()
          .hosts()
          .map((host) => host.status),
      ))
        this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'labpool_commissaire_clusters',
    help: 'Commissaire clusters by computed status (ok, degraded: some host not active, failed: hosts and none active)',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      const model = views();
      const statuses = model.clusters().map((cluster) => clusterView(cluster, (address) => model.host(address)?.status ?? null).status);
      for (const [status, count] of countBy(CLUSTER_STATUSES, statuses)) this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'labpool_commissaire_operations_in_process',
    help: 'Commissaire cluster operations in process, by kind (deploy, upgrade, restart)',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      for (const [kind, count] of countBy(
        OPERATION_KINDS,
        views()
          .openOperations()
          .map((operation) => operation.kind),
      ))
        this.set({ kind }, count);
    },
  });
}

/**
 * Commissaire's metrics: hosts, clusters and operations in process (read from its views at scrape
 * time), and the operations this server saw end, counted and timed by kind and outcome. `views` is read
 * per scrape: the metrics may be registered before the views exist.
 */
export function registerCommissaireMetrics(registry: Registry, views: () => CommissaireViews): CommissaireMetrics {
  registerGauges(registry, views);
  const ended = new Counter({
    name: 'labpool_commissaire_operations_ended_total',
    help: 'Commissaire cluster operations this server saw end, by kind and status (finished, failed)',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'labpool_commissaire_operation_seconds',
    help: 'How long a Commissaire cluster operation took from its start to its end, by kind and status',
    labelNames: ['kind', 'status'] as const,
    // One host at a time, each imaged or power-cycled: minutes per host, clusters of a few to dozens.
    buckets: [1, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
    registers: [registry],
  });
  return {
    operationEnded(kind, status, durationMs) {
      ended.inc({ kind, status });
      durations.observe({ kind, status }, Math.max(0, durationMs) / 1000);
    },
  };
}
