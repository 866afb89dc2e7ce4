import type { Router } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import { CATCH_ALL_ROUTE } from '../../../http/openapi/router-routes.js';
import type { RegisterRoutes } from '../../../http/routes.js';
import { registerPoolStatusRoutes } from './status-routes.js';
import { registerVmRoutes } from './vm-routes.js';
import { registerAdminRoutes } from './admin-routes.js';
import { API_VERSIONS, type VmpoolerDeps } from './vmpooler-deps.js';

/** vmpooler's API under `/api/v1` (the spec document's shapes) and `/api/v3` (today's clients). */
export function registerVmpoolerRoutes(router: Router, deps: VmpoolerDeps): void {
  for (const version of API_VERSIONS) registerVmRoutes(router, deps, version);
  for (const version of API_VERSIONS) registerAdminRoutes(router, deps, version);
  for (const version of API_VERSIONS) registerPoolStatusRoutes(router, deps, version);
}

/** vmpooler's routes over one lab, as the app registers them. */
export function vmpoolerLabRoutes(deps: VmpoolerDeps): RegisterRoutes {
  return (router) => registerVmpoolerRoutes(router, deps);
}

/**
 * Any other path under vmpooler's prefixes, whatever the method, is a 404 `{"ok": false}` as in
 * vmpooler (no 405): registered after every route of the app, it only catches what none matched.
 */
export const registerVmpoolerFallback: RegisterRoutes = (router) => {
  for (const version of API_VERSIONS) {
    router.all(CATCH_ALL_ROUTE, `/api/${version}{/*rest}`, () => {
      throw httpError(404, 'no such route');
    });
  }
};
