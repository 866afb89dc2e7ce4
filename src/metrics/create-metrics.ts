import { Histogram, Registry } from 'prom-client';
import type { Projection } from '../projections/projection-runner.js';
import type { LabReadModels } from '../projections/read-models.js';
import type { EventStore } from '../store/port.js';
import { createEventMetricsProjection } from './event-metrics.js';
import { registerLabGauges } from './lab-gauges.js';
import { observeAppends } from './observed-store.js';
import { createProjectionLag } from './projection-lag.js';
import { createStoreWritability, type WritabilityChange } from './store-writability.js';

/** An SQLite append takes well under a millisecond; an EventStoreDB cluster write takes a round trip or more. */
export const APPEND_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface MetricsOptions {
  /** The read models the state gauges count and the power counter finds PDUs in. */
  readonly readModels: Pick<LabReadModels, 'devices'>;
  readonly nowMs?: () => number;
  /** Told when the store starts refusing writes (full, read-only, locked) and when it takes them again. */
  readonly onStoreWritability?: (change: WritabilityChange) => void;
}

/** One server's metrics, in a registry of its own so that a process (a test) can run several servers. */
export interface Metrics {
  /** Renders `/metrics`: `registry.metrics()` in `registry.contentType`. */
  readonly registry: Registry;
  /** Hand these to the projection runner after the read models' projections. */
  readonly projections: readonly Projection[];
  /** The same store, timing its appends and telling the lag gauges what was appended. */
  wrapStore(store: EventStore): EventStore;
}

/**
 * Metric names (each family adds its own, e.g. MozPool's labpool_requests): labpool_devices, labpool_boot_duration_seconds,
 * labpool_imaging_duration_seconds, labpool_power_cycle_failures_total,
 * labpool_event_append_duration_seconds, labpool_projection_lag_events, labpool_projection_lag_seconds,
 * labpool_store_writable, labpool_store_refused_writes_total.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registerLabGauges(registry, options.readModels);
  const nowMs = options.nowMs ?? Date.now;
  const lag = createProjectionLag(registry, nowMs);
  const observeWrite = createStoreWritability(registry, options.onStoreWritability ?? (() => undefined), nowMs);
  const appends = new Histogram({
    name: 'labpool_event_append_duration_seconds',
    help: 'Latency of appendToStream calls by outcome (ok, conflict: wrong expected revision, error)',
    labelNames: ['outcome'] as const,
    buckets: APPEND_BUCKETS_S,
    registers: [registry],
  });
  return {
    registry,
    projections: [createEventMetricsProjection(registry, options.readModels.devices), lag.projection],
    wrapStore: (store) =>
      observeAppends(store, (observation) => {
        appends.observe({ outcome: observation.outcome }, observation.durationS);
        if (observation.outcome === 'ok') lag.onAppended(observation.result, observation.events);
        if (observation.outcome !== 'conflict') observeWrite(observation.outcome === 'ok' ? undefined : observation.error);
      }),
  };
}
