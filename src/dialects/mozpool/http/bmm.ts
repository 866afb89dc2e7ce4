import type { Router } from '@koa/router';
import { createCommandMetadata, unwrapLabResult } from './lab-calls.js';
import type { MozpoolDeps } from './mozpool-deps.js';
import { findPxeConfig } from './mozpool-lookups.js';
import { pathParam } from './mozpool-params.js';
import type { PowerCycleBody } from './mozpool-schemas.js';
import { requireDeviceOwnedHere } from './owner-redirect.js';
import { validatePowerCycleBody, validateSetCommentsBody, validateSetEnvironmentBody } from './validate-body.js';

/** The lab's power-cycle options from a valid body; 404 for an unknown PXE config. */
function toPowerCycleOptions(deps: MozpoolDeps, body: PowerCycleBody): { pxeConfig?: string; bootConfig?: string } {
  const pxeConfig = body.pxe_config === undefined ? undefined : findPxeConfig(deps, body.pxe_config).name;
  const bootConfig = typeof body.boot_config === 'object' ? JSON.stringify(body.boot_config) : body.boot_config;
  return { ...(pxeConfig === undefined ? {} : { pxeConfig }), ...(bootConfig === undefined ? {} : { bootConfig }) };
}

/** BMM's power and PXE operations: only the device's own server touches its hardware. */
function registerHardwareOperations(router: Router, deps: MozpoolDeps): void {
  const ownedHere = requireDeviceOwnedHere(deps);

  router.post('/api/device/:id/power-cycle{/}', ownedHere, async (ctx) => {
    const options = toPowerCycleOptions(deps, validatePowerCycleBody(ctx.request.body));
    unwrapLabResult(await deps.lab.powerCycle(pathParam(ctx, 'id'), options, createCommandMetadata(deps, ctx)));
    ctx.body = {};
  });

  router.register(
    '/api/device/:id/power-off{/}',
    ['GET', 'POST'],
    [
      ownedHere,
      async (ctx) => {
        unwrapLabResult(await deps.lab.powerOff(pathParam(ctx, 'id'), createCommandMetadata(deps, ctx)));
        ctx.body = {};
      },
    ],
  );

  router.get('/api/device/:id/ping{/}', ownedHere, async (ctx) => {
    const { success } = unwrapLabResult(await deps.lab.ping(pathParam(ctx, 'id'), createCommandMetadata(deps, ctx)));
    ctx.body = { success };
  });

  router.post('/api/device/:id/clear-pxe{/}', ownedHere, async (ctx) => {
    unwrapLabResult(await deps.lab.clearPxe(pathParam(ctx, 'id'), createCommandMetadata(deps, ctx)));
    ctx.body = {};
  });
}

/** BMM's device settings: the owner records them. */
function registerDeviceSettings(router: Router, deps: MozpoolDeps): void {
  const ownedHere = requireDeviceOwnedHere(deps);

  router.post('/api/device/:id/set-comments{/}', ownedHere, async (ctx) => {
    const { comments } = validateSetCommentsBody(ctx.request.body);
    unwrapLabResult(await deps.lab.setComments(pathParam(ctx, 'id'), comments, createCommandMetadata(deps, ctx)));
    ctx.body = {};
  });

  router.post('/api/device/:id/set-environment{/}', ownedHere, async (ctx) => {
    const { environment } = validateSetEnvironmentBody(ctx.request.body);
    unwrapLabResult(await deps.lab.setEnvironment(pathParam(ctx, 'id'), environment, createCommandMetadata(deps, ctx)));
    ctx.body = {};
  });
}

/** BMM's device operations (`power-cycle`, `power-off`, `ping`, `clear-pxe`, `set-comments`, `set-environment`). */
export function registerBmmRoutes(router: Router, deps: MozpoolDeps): void {
  registerHardwareOperations(router, deps);
  registerDeviceSettings(router, deps);
}
