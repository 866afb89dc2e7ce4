import type { Router } from '@koa/router';

/** What `/metrics` renders: a prom-client Registry is one. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** `GET /metrics`: Prometheus text format, at the path Prometheus scrapes by default. */
export function registerMetricsRoutes(router: Router, source: MetricsSource): void {
  router.get('/metrics', async (ctx) => {
    const text = await source.metrics();
    ctx.type = source.contentType;
    ctx.body = text;
  });
}
