import type { Dialect } from '../dialect.js';
import { formatMozpoolError } from './http/mozpool-errors.js';
import { mozpoolRouteDocs } from './http/mozpool-route-docs.js';
import { registerMozpoolRoutes } from './http/mozpool-routes.js';
import { mozpoolBodySchemas } from './http/mozpool-schemas.js';
import { requestAudit } from './projections/request-audit.js';

/** MozPool / LifeGuard / BMM, labpool's native family, under `/api/`. */
export const mozpoolDialect: Dialect = {
  name: 'mozpool',
  errorPrefix: '/api/',
  formatError: formatMozpoolError,
  registerRoutes: (router, deps) => {
    // `GET /api/version/`, which its clients call both with and without the slash, needs no lab.
    router.get('/api/version{/}', (ctx) => {
      ctx.body = { version: deps.version };
    });
    if (deps.mozpool !== undefined) registerMozpoolRoutes(router, deps.mozpool);
  },
  routeDocs: mozpoolRouteDocs,
  bodySchemas: mozpoolBodySchemas,
  auditKinds: [requestAudit],
};
