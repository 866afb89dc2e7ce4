import type { Router } from '@koa/router';
import { registerGuarded } from '../../../http/access/guard-routes.js';
import type { RegisterRoutes } from '../../../http/routes.js';
import { mozpoolGuardOf } from './mozpool-access.js';
import { registerBmmRoutes } from './bmm.js';
import { registerBmmReadRoutes } from './bmm-reads.js';
import { registerDeviceRequestRoute } from './device-request.js';
import { registerLifeguardRoutes } from './lifeguard.js';
import { registerLifeguardBootRoutes } from './lifeguard-boot.js';
import type { MozpoolDeps } from './mozpool-deps.js';
import { registerMozpoolDeviceRoutes } from './mozpool-devices.js';
import { registerMozpoolRequestRoutes } from './mozpool-requests.js';
import { registerPxeConfigRoutes } from './pxe-configs.js';

export type { MozpoolDeps } from './mozpool-deps.js';
export { mozpoolBodySchemas } from './mozpool-schemas.js';

/**
 * MozPool's native API (MozPool, LifeGuard and BMM under `/api/`), every route with an optional
 * trailing slash. Errors are thrown as HttpErrors; the app renders them as `{"error": "..."}`.
 */
export function registerMozpoolRoutes(router: Router, deps: MozpoolDeps): void {
  registerMozpoolDeviceRoutes(router, deps);
  registerDeviceRequestRoute(router, deps);
  registerMozpoolRequestRoutes(router, deps);
  registerLifeguardRoutes(router, deps);
  registerLifeguardBootRoutes(router, deps);
  registerBmmRoutes(router, deps);
  registerBmmReadRoutes(router, deps);
  registerPxeConfigRoutes(router, deps);
}

/** MozPool's routes over one lab, as the app registers them, each under its lock from `deps.access`. */
export function mozpoolLabRoutes(deps: MozpoolDeps): RegisterRoutes {
  return (router) => registerGuarded(router, (routes) => registerMozpoolRoutes(routes, deps), mozpoolGuardOf(deps.access ?? {}));
}
