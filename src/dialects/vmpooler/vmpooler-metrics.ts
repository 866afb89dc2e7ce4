import { Gauge, Histogram, type Registry } from 'prom-client';
import type { VmpoolerLab } from './actors/vmpooler-lab.js';
import type { PoolConfig } from './domain/pool-config.js';
import type { PoolReadModel } from './projections/pool-views.js';

/**
 * vmpooler's metrics: each pool's queues, read from the pool views at scrape time (nothing to keep
 * up between scrapes), and how long checkouts take. Returns the checkout histogram.
 */
export function registerVmpoolerMetrics(registry: Registry, pools: readonly PoolConfig[], views: PoolReadModel): Histogram<'outcome'> {
  new Gauge({
    name: 'labpool_vmpooler_pool_devices',
    help: 'Devices of each vmpooler pool by queue (pending = waiting or being imaged)',
    labelNames: ['pool', 'queue'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const pool of pools) {
        const queues = views.queues(pool.name);
        const counts = { pending: 0, ready: queues.ready.length, running: queues.running.size, completed: 0 };
        for (const member of queues.members.values()) {
          if (member.phase === 'waiting' || member.phase === 'imaging') counts.pending++;
          else if (member.phase === 'completed' || member.phase === 'failed') counts.completed++;
        }
        for (const [queue, count] of Object.entries(counts)) this.set({ pool: pool.name, queue }, count);
      }
    },
  });
  return new Histogram({
    name: 'labpool_vmpooler_checkout_seconds',
    help: 'Time a vmpooler checkout (POST /vm) takes, by outcome (ok, shortage, unknown_pool)',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
}

/** The lab with its checkout timed into `histogram` (the routes' checkouts; on-demand fills use the lab's own). */
export function timedCheckouts(lab: VmpoolerLab, histogram: Histogram<'outcome'>): VmpoolerLab {
  return {
    ...lab,
    async checkout(wants, auth, cause) {
      const end = histogram.startTimer();
      const result = await lab.checkout(wants, auth, cause);
      end({ outcome: result.ok ? 'ok' : result.reason });
      return result;
    },
  };
}
