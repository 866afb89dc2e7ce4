import type { RouterContext, RouterMiddleware } from '@koa/router';
import type { MozpoolDeps } from './mozpool-deps.js';
import { findDevice, findRequest } from './mozpool-lookups.js';
import { pathParam } from './mozpool-params.js';

/** True when `owner` is another server; a blank owner is treated as this one. */
export function isOwnedElsewhere(owner: string, serverId: string): boolean {
  return owner !== '' && owner !== serverId;
}

/** MozPool's owner redirect: `302 Found` to the same path on the owner, query string dropped. */
export function redirectToOwner(ctx: RouterContext, owner: string): void {
  const location = `http://${owner}${ctx.path}`;
  ctx.status = 302;
  ctx.set('Location', location);
  ctx.body = { location };
}

/** Before a device operation: 404 for an unknown device, 302 when another server owns it. */
export function requireDeviceOwnedHere(deps: MozpoolDeps): RouterMiddleware {
  return async (ctx, next) => {
    const device = findDevice(deps, pathParam(ctx, 'id'));
    if (isOwnedElsewhere(device.imagingServer, deps.serverId)) return redirectToOwner(ctx, device.imagingServer);
    await next();
  };
}

/** Before a request operation: 400 for a non-integer id, 404 for an unknown one, 302 when another server owns it. */
export function requireRequestOwnedHere(deps: MozpoolDeps): RouterMiddleware {
  return async (ctx, next) => {
    const request = findRequest(deps, pathParam(ctx, 'id'));
    if (isOwnedElsewhere(request.imaging_server, deps.serverId)) return redirectToOwner(ctx, request.imaging_server);
    await next();
  };
}
