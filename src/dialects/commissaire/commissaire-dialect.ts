import type { Dialect, DialectPart } from '../dialect.js';
import { attachCommissaireLab, type AttachedCommissaireLab } from './actors/commissaire-lab-attach.js';
import { commissaireSettingsOf } from './commissaire-config.js';
import { createCommissaireAccess } from './http/commissaire-auth.js';
import { formatCommissaireError, isCommissaireError } from './http/commissaire-errors.js';
import { commissaireBodySchemas, commissaireRouteDocs, registerCommissaireRoutes } from './http/commissaire-routes.js';
import { commissaireHistoryRouteDocs } from './http/history-route-docs.js';
import { labpoolClustersRouteDocs, registerLabpoolClustersRoutes } from './http/labpool-clusters-routes.js';
import { registerCommissaireMetrics } from './commissaire-metrics.js';
import { clusterAudit, hostAudit, operationAudit } from './projections/commissaire-audit.js';
import { createCommissaireViews } from './projections/commissaire-views.js';
import type { StartedOperation } from './domain/operation-decider.js';

/** Commissaire on a running lab: its lab (hosts, clusters, operations) for tests and tools. */
export type CommissairePart = DialectPart & { readonly lab: AttachedCommissaireLab };

/** Commissaire: clusters of hosts, host registration and investigation, cluster operations, under `/api/v0/`. */
export const commissaireDialect: Dialect<CommissairePart> = {
  name: 'commissaire',
  errorPrefixes: ['/api/v0/'],
  formatError: formatCommissaireError,
  // A host's ssh key is a few kilobytes.
  maxBodyBytes: 65_536,
  // Commissaire answers 403 to bad credentials before it reads the body.
  deferBodyErrors: true,
  isErrorBody: isCommissaireError,
  registerRoutes: () => undefined,
  routeDocs: { ...commissaireRouteDocs, ...commissaireHistoryRouteDocs, ...labpoolClustersRouteDocs },
  bodySchemas: commissaireBodySchemas,
  auditKinds: [hostAudit, clusterAudit, operationAudit],
  lab(setup) {
    // A bad key or an unreadable key file stops the start here, with a clear error.
    const settings = commissaireSettingsOf(setup.config);
    const views = createCommissaireViews();
    const metrics = registerCommissaireMetrics(setup.metrics, () => views);
    return {
      projections: [views],
      attach(core, system) {
        const onOperationEnded = (operation: StartedOperation) => {
          if (operation.status !== 'in_process') metrics.operationEnded(operation.kind, operation.status, (operation.finishedAtMs ?? operation.startedAtMs) - operation.startedAtMs);
        };
        const lab = attachCommissaireLab(core, { system, views, settings, onOperationEnded });
        const access = createCommissaireAccess(setup.identity.users);
        if (settings.credsKeyOrigin === 'memory') lab.context.warn({}, 'Commissaire host credentials are sealed with a key kept in memory: they cannot be opened after a restart');
        return {
          lab,
          async recover(devices) {
            const recovered = await lab.recover(devices);
            if (recovered.hosts + recovered.operations + recovered.released > 0) lab.context.warn({ ...recovered }, 'Commissaire carried on the work a stop cut short');
          },
          restoreDeadlines: () => undefined,
          registerRoutes(router) {
            registerCommissaireRoutes(router, { lab, access });
            registerLabpoolClustersRoutes(router, () => views);
          },
        };
      },
    };
  },
};
