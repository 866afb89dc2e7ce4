import type { Router } from '@koa/router';
import type { MozpoolDeps } from './mozpool-deps.js';
import { findPxeConfig } from './mozpool-lookups.js';
import { isQueryFlagSet, pathParam } from './mozpool-params.js';
import { toPxeConfigDetails } from './mozpool-shapes.js';

/** BMM's PXE configs, under MozPool's `/api/bmm/pxe_config/` and the spec document's `/api/pxe_configs/`. */
export function registerPxeConfigRoutes(router: Router, deps: MozpoolDeps): void {
  const { pxeConfigs } = deps.readModels;

  router.get(['/api/bmm/pxe_config/list{/}', '/api/pxe_configs/list{/}'], (ctx) => {
    const names = pxeConfigs.list(isQueryFlagSet(ctx, 'active_only')).map((pxeConfig) => pxeConfig.name);
    ctx.body = { pxe_configs: names.sort() };
  });

  router.get(['/api/bmm/pxe_config/:id/details{/}', '/api/pxe_configs/:id/details{/}'], (ctx) => {
    ctx.body = { details: toPxeConfigDetails(findPxeConfig(deps, pathParam(ctx, 'id'))) };
  });
}
