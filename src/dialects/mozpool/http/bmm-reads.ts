import type { Router } from '@koa/router';
import type { MozpoolDeps } from './mozpool-deps.js';
import { findDevice } from './mozpool-lookups.js';
import { pathParam, queryNonNegativeInteger } from './mozpool-params.js';

/** BMM's reads: any server answers them from its read models. */
export function registerBmmReadRoutes(router: Router, deps: MozpoolDeps): void {
  const { devices } = deps.readModels;

  // `timeperiod` (seconds back from now) and `limit` (newest N) may be combined.
  router.get('/api/device/:id/log{/}', (ctx) => {
    const device = findDevice(deps, pathParam(ctx, 'id'));
    const timePeriodS = queryNonNegativeInteger(ctx, 'timeperiod');
    const limit = queryNonNegativeInteger(ctx, 'limit');
    const sinceMs = timePeriodS === undefined ? undefined : deps.nowMs() - timePeriodS * 1000;
    ctx.body = { log: devices.log(device.name, { sinceMs, limit }) };
  });

  // The boot config is JSON text already, and the booted image reads it verbatim.
  router.get('/api/device/:id/bootconfig{/}', (ctx) => {
    const { bootConfig } = findDevice(deps, pathParam(ctx, 'id'));
    ctx.type = 'application/json';
    ctx.body = bootConfig === '' ? '{}' : bootConfig;
  });

  router.get('/api/environment/list{/}', (ctx) => {
    ctx.body = { environments: devices.environments() };
  });
}
