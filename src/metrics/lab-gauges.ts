import { Gauge, type Registry } from 'prom-client';
import type { LabReadModels } from '../projections/read-models.js';

/** How many items are in each state. */
export function countByState(items: readonly { readonly state: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { state } of items) counts.set(state, (counts.get(state) ?? 0) + 1);
  return counts;
}

/**
 * Gauges read from the read models at scrape time, so they cost nothing between scrapes. Each
 * scrape starts from zero: a state no device is in any more disappears instead of keeping its last count.
 */
export function registerLabGauges(registry: Registry, readModels: Pick<LabReadModels, 'devices'>): void {
  new Gauge({
    name: 'labpool_devices',
    help: 'Registered devices by LifeGuard state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [state, count] of countByState(readModels.devices.list())) this.set({ state }, count);
    },
  });
}
