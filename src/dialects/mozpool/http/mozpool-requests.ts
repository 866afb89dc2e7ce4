import type { Router } from '@koa/router';
import { createCommandMetadata, unwrapLabResult } from './lab-calls.js';
import type { MozpoolDeps } from './mozpool-deps.js';
import { findRequest } from './mozpool-lookups.js';
import { isQueryFlagSet, pathParam } from './mozpool-params.js';
import { toRequestDetails, toRequestListItem } from './mozpool-shapes.js';
import { renewDurationSchema } from './mozpool-schemas.js';
import { requireRequestOwnedHere } from './owner-redirect.js';
import { toDurationS, validateRenewBody } from './validate-body.js';

/** `/api/request/{id}/status/` shows this many of the newest log lines. */
export const REQUEST_STATUS_LOG_LIMIT = 100;

/** Reads of requests: answered by any server from its read models. */
function registerRequestReads(router: Router, deps: MozpoolDeps): void {
  const { requests } = deps.readModels;

  router.get('/api/request/list{/}', (ctx) => {
    ctx.body = { requests: requests.list(isQueryFlagSet(ctx, 'include_closed')).map(toRequestListItem) };
  });

  router.get('/api/request/:id/details{/}', (ctx) => {
    ctx.body = toRequestDetails(findRequest(deps, pathParam(ctx, 'id')), deps.serverId);
  });

  router.get('/api/request/:id/status{/}', (ctx) => {
    const request = findRequest(deps, pathParam(ctx, 'id'));
    ctx.body = { state: request.state, log: requests.log(request.id, { limit: REQUEST_STATUS_LOG_LIMIT }) };
  });

  router.get('/api/request/:id/log{/}', (ctx) => {
    const request = findRequest(deps, pathParam(ctx, 'id'));
    ctx.body = { log: requests.log(request.id) };
  });
}

/** Operations on a request: only its owner runs them, every other server redirects there. */
function registerRequestOperations(router: Router, deps: MozpoolDeps): void {
  const ownedHere = requireRequestOwnedHere(deps);

  router.post('/api/request/:id/renew{/}', ownedHere, async (ctx) => {
    const { id } = findRequest(deps, pathParam(ctx, 'id'));
    const durationS = toDurationS(validateRenewBody(ctx.request.body).duration, renewDurationSchema);
    unwrapLabResult(await deps.lab.renewRequest(id, durationS, createCommandMetadata(deps, ctx)));
    ctx.status = 204;
  });

  router.post('/api/request/:id/return{/}', ownedHere, async (ctx) => {
    const { id } = findRequest(deps, pathParam(ctx, 'id'));
    unwrapLabResult(await deps.lab.returnRequest(id, createCommandMetadata(deps, ctx)));
    ctx.status = 204;
  });

  router.register(
    '/api/request/:id/event/:event{/}',
    ['GET', 'POST'],
    [
      ownedHere,
      async (ctx) => {
        const { id } = findRequest(deps, pathParam(ctx, 'id'));
        unwrapLabResult(await deps.lab.requestEvent(id, pathParam(ctx, 'event'), createCommandMetadata(deps, ctx)));
        ctx.body = {};
      },
    ],
  );
}

/** MozPool's request API (`/api/request/...`). */
export function registerMozpoolRequestRoutes(router: Router, deps: MozpoolDeps): void {
  registerRequestReads(router, deps);
  registerRequestOperations(router, deps);
}
