import type { Dialect, DialectPart } from '../dialect.js';
import { DEFAULT_REQUEST_LIMITS } from './domain/request-limits.js';
import { attachMozpoolLab, createRequestDeadlineIndex, type MozpoolLab } from './actors/mozpool-lab.js';
import { createMozpoolAccess } from './http/mozpool-access.js';
import { formatMozpoolError, isMozpoolError } from './http/mozpool-errors.js';
import { mozpoolRouteDocs } from './http/mozpool-route-docs.js';
import { mozpoolLabRoutes } from './http/mozpool-routes.js';
import { mozpoolBodySchemas } from './http/mozpool-schemas.js';
import { createRequestReadModel } from './projections/mozpool-read-models.js';
import { requestAudit } from './projections/request-audit.js';
import { registerRequestGauge } from './projections/request-gauge.js';

/** MozPool on a running lab: its lab (request actors, commands, read models) for tests and tools. */
export type MozpoolPart = DialectPart & { readonly lab: MozpoolLab };

/** MozPool / LifeGuard / BMM, labpool's native family, under `/api/`. */
export const mozpoolDialect: Dialect<MozpoolPart> = {
  name: 'mozpool',
  errorPrefixes: ['/api/'],
  formatError: formatMozpoolError,
  // Its largest bodies (a request, comments, an environment) are well under a kilobyte.
  maxBodyBytes: 65_536,
  isErrorBody: isMozpoolError,
  registerRoutes: (router, deps) => {
    // `GET /api/version/`, which its clients call both with and without the slash, needs no lab.
    router.get('/api/version{/}', (ctx) => {
      ctx.body = { version: deps.version };
    });
  },
  routeDocs: mozpoolRouteDocs,
  bodySchemas: mozpoolBodySchemas,
  auditKinds: [requestAudit],
  lab(setup) {
    const { requests, projections } = createRequestReadModel(setup.readModels.devices);
    const requestDeadlines = createRequestDeadlineIndex();
    registerRequestGauge(setup.metrics, requests);
    return {
      projections: [...projections, requestDeadlines],
      attach(core, system) {
        const requestLimits = { ...DEFAULT_REQUEST_LIMITS, ...setup.config.mozpoolLimits };
        const lab = attachMozpoolLab(core, { system, requests, requestDeadlines, requestLimits });
        const { serverId, nowMs, warn } = lab.context;
        return {
          lab,
          async recover(devices) {
            const { detached, notified } = await lab.recoverHolders(devices);
            if (detached + notified > 0) warn({ detached, notified }, `recovered after a crash: ${detached} device(s) detached, ${notified} request(s) told their imaging result`);
          },
          restoreDeadlines: () => void lab.restoreRequestDeadlines(),
          takeOver: async (from) => (await lab.takeOverRequests(from)).map((id) => `request ${id}`),
          registerRoutes: mozpoolLabRoutes({ serverId, lab: lab.commands, readModels: lab.readModels, nowMs, access: createMozpoolAccess(setup.config.security, setup.identity.tokens) }),
        };
      },
    };
  },
};
