import type { Router, RouterContext } from '@koa/router';
import { createCommandMetadata, unwrapLabResult } from './lab-calls.js';
import { heldByField } from './mozpool-shapes.js';
import type { MozpoolDeps } from './mozpool-deps.js';
import { findDevice, requireLifeGuardState } from './mozpool-lookups.js';
import { isQueryFlagSet, pathParam } from './mozpool-params.js';
import { requireDeviceOwnedHere } from './owner-redirect.js';
import { createRevisionCache } from './revision-cache.js';
import { createStateMapCache } from './state-map-cache.js';
import type { StateMapCache } from './state-map-cache.js';
import { validateSetStateBody } from './validate-body.js';

/** `/api/device/{id}/status/` shows this many of the newest log lines. */
export const DEVICE_STATUS_LOG_LIMIT = 100;

/**
 * Status is what clients poll: its JSON is kept per device until the device's next event (the
 * devices polled most recently, up to this many).
 */
const STATUS_BODIES_KEPT = 10_000;

/** `{state}` from the cached lab-wide map, which comes along as `states`, with its remaining lifetime. */
function answerCachedState(ctx: RouterContext, deps: MozpoolDeps, cache: StateMapCache): void {
  const device = findDevice(deps, pathParam(ctx, 'id'));
  const { states, expiresAtMs } = cache.read();
  const maxAgeS = Math.max(1, Math.ceil((expiresAtMs - deps.nowMs()) / 1000));
  ctx.set('Cache-Control', `public, max-age=${maxAgeS}`);
  // A device registered since the snapshot is not in it yet.
  ctx.body = { state: states[device.name] ?? device.state, states };
}

/** LifeGuard's device state reads: any server answers them. */
function registerDeviceStateReads(router: Router, deps: MozpoolDeps): void {
  const { devices } = deps.readModels;
  const cache = createStateMapCache(
    () => devices.stateMap(),
    () => deps.nowMs(),
  );

  const statusBodies = createRevisionCache(STATUS_BODIES_KEPT);
  router.get('/api/device/:id/status{/}', (ctx) => {
    const device = findDevice(deps, pathParam(ctx, 'id'));
    ctx.type = 'json';
    ctx.body = statusBodies.get(device.name, devices.revision(device.name), () => {
      const log = devices.log(device.name, { limit: DEVICE_STATUS_LOG_LIMIT });
      // MozPool answered `state`; the spec document calls it `status`.
      return JSON.stringify({ state: device.state, status: device.state, ...heldByField(device.holder), log });
    });
  });

  router.get('/api/device/:id/state{/}', (ctx) => {
    if (isQueryFlagSet(ctx, 'cache')) return answerCachedState(ctx, deps, cache);
    ctx.body = { state: findDevice(deps, pathParam(ctx, 'id')).state };
  });
}

/** LifeGuard's state operations: only the device's own server runs them. */
function registerDeviceStateOperations(router: Router, deps: MozpoolDeps): void {
  const ownedHere = requireDeviceOwnedHere(deps);

  router.register(
    '/api/device/:id/event/:event{/}',
    ['GET', 'POST'],
    [
      ownedHere,
      async (ctx) => {
        const body: unknown = ctx.request.body;
        const args = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
        const result = await deps.lab.deviceEvent(pathParam(ctx, 'id'), pathParam(ctx, 'event'), args, createCommandMetadata(deps, ctx));
        unwrapLabResult(result);
        ctx.body = {};
      },
    ],
  );

  router.post('/api/device/:id/state-change/:from/to/:to{/}', ownedHere, async (ctx) => {
    const [device, from, to] = [pathParam(ctx, 'id'), pathParam(ctx, 'from'), requireLifeGuardState(deps, pathParam(ctx, 'to'))];
    unwrapLabResult(await deps.lab.forceState(device, from, to, createCommandMetadata(deps, ctx)));
    ctx.body = {};
  });

  router.post('/api/device/:id/setstate{/}', ownedHere, async (ctx) => {
    const body = validateSetStateBody(ctx.request.body);
    requireLifeGuardState(deps, body.new_state);
    const metadata = createCommandMetadata(deps, ctx);
    unwrapLabResult(await deps.lab.forceState(pathParam(ctx, 'id'), body.old_state, body.new_state, metadata));
    ctx.status = 204;
  });
}

/** LifeGuard's device state API: status, state, events and forced state changes. */
export function registerLifeguardRoutes(router: Router, deps: MozpoolDeps): void {
  registerDeviceStateReads(router, deps);
  registerDeviceStateOperations(router, deps);
}
