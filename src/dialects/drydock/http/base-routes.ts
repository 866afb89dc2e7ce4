import type { Router } from '@koa/router';
import type { RegisterRoutes } from '../../../http/routes.js';

/** Drydock's one API version, as `GET /versions` lists it. */
export const DRYDOCK_PREFIX = '/api/v1.0';

/**
 * The routes that need no lab and no token: `GET /versions` (at the root, as Drydock has it) and
 * `GET /api/v1.0/health`, 204 while the server answers.
 */
export const registerDrydockBaseRoutes: RegisterRoutes = (router: Router) => {
  router.get('/versions{/}', (ctx) => {
    ctx.body = { 'v1.0': { path: DRYDOCK_PREFIX, status: 'stable' } };
  });
  router.get(`${DRYDOCK_PREFIX}/health{/}`, (ctx) => {
    ctx.status = 204;
  });
};
