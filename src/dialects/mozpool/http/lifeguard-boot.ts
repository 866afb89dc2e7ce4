import type { Router } from '@koa/router';
import { createCommandMetadata, unwrapLabResult } from './lab-calls.js';
import type { MozpoolDeps } from './mozpool-deps.js';
import { findDevice, findImage } from './mozpool-lookups.js';
import { pathParam } from './mozpool-params.js';
import { parseBootConfig } from './mozpool-shapes.js';
import { requireDeviceOwnedHere } from './owner-redirect.js';
import { validateBootBody } from './validate-body.js';

/**
 * The spec document's LifeGuard boot API: `boot/{image}` images the device (the body is its boot
 * config), `bootcomplete` says the PXE file is no longer needed, `config` is what the booted image
 * reads back (BMM's `bootconfig` serves the same text raw).
 */
export function registerLifeguardBootRoutes(router: Router, deps: MozpoolDeps): void {
  const ownedHere = requireDeviceOwnedHere(deps);

  router.post('/api/device/:id/boot/:image{/}', ownedHere, async (ctx) => {
    const image = findImage(deps, pathParam(ctx, 'image'));
    const bootConfig = JSON.stringify(validateBootBody(ctx.request.body));
    const metadata = createCommandMetadata(deps, ctx);
    unwrapLabResult(await deps.lab.bootImage(pathParam(ctx, 'id'), image.name, bootConfig, metadata));
    ctx.status = 204;
  });

  router.post('/api/device/:id/bootcomplete{/}', ownedHere, async (ctx) => {
    unwrapLabResult(await deps.lab.bootComplete(pathParam(ctx, 'id'), createCommandMetadata(deps, ctx)));
    ctx.status = 204;
  });

  router.get('/api/device/:id/config{/}', (ctx) => {
    ctx.body = { config: parseBootConfig(findDevice(deps, pathParam(ctx, 'id')).bootConfig) };
  });
}
