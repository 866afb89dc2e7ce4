import { Gauge, type Registry } from 'prom-client';
import { countByState } from '../../../metrics/lab-gauges.js';
import type { RequestReadModel } from './mozpool-read-models.js';

/** `labpool_requests`: MozPool's requests by state, read from the read model at scrape time. */
export function registerRequestGauge(registry: Registry, requests: Pick<RequestReadModel, 'list'>): void {
  new Gauge({
    name: 'labpool_requests',
    help: 'Requests by state, closed ones included',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [state, count] of countByState(requests.list(true))) this.set({ state }, count);
    },
  });
}
