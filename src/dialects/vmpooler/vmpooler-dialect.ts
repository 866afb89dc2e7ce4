import type { Dialect, DialectPart } from '../dialect.js';
import { attachVmpoolerLab, createVmDeadlineIndex, type VmpoolerLab } from './actors/vmpooler-lab.js';
import { vmpoolerAdminRouteDocs } from './http/admin-route-docs.js';
import { vmpoolerAdminBodySchemas } from './http/admin-schemas.js';
import { registerLabpoolPoolsRoutes } from './http/labpool-pools-routes.js';
import { attachOndemand, type Ondemand } from './actors/ondemand.js';
import { formatVmpoolerError, isVmpoolerError } from './http/vmpooler-errors.js';
import { registerVmpoolerFallback, vmpoolerLabRoutes } from './http/vmpooler-routes.js';
import { createOndemandIndex } from './projections/ondemand-index.js';
import { createPoolViews } from './projections/pool-views.js';
import { poolAudit, vmAudit } from './projections/vmpooler-audit.js';
import { vmpoolerOpsRouteDocs } from './http/ops-route-docs.js';
import { createSummaryViews, type SummaryReadModel } from './projections/summary-views.js';
import { statusRouteDocs } from './http/status-route-docs.js';
import { vmpoolerConfigOf } from './vmpooler-config.js';
import { registerVmpoolerMetrics, timedCheckouts } from './vmpooler-metrics.js';

/** vmpooler on a running lab: its lab (pools, VMs, checkout) for tests and tools. */
export type VmpoolerPart = DialectPart & { readonly lab: VmpoolerLab; readonly ondemand: Ondemand; readonly summary: SummaryReadModel };

/** vmpooler: warm pools of pre-imaged devices, under `/api/v1/` and `/api/v3/`. */
export const vmpoolerDialect: Dialect<VmpoolerPart> = {
  name: 'vmpooler',
  errorPrefixes: ['/api/v1/', '/api/v3/'],
  formatError: formatVmpoolerError,
  // Its largest bodies (a checkout of many pools, tags, an on-demand request) are a few kilobytes.
  maxBodyBytes: 65_536,
  isErrorBody: isVmpoolerError,
  registerRoutes: () => undefined,
  registerFallbackRoutes: registerVmpoolerFallback,
  routeDocs: { ...vmpoolerAdminRouteDocs, ...vmpoolerOpsRouteDocs, ...statusRouteDocs },
  bodySchemas: { ...vmpoolerAdminBodySchemas },
  auditKinds: [vmAudit, poolAudit],
  lab(setup) {
    const config = vmpoolerConfigOf(setup.config, setup.simulatedLab);
    let onChange: (pool: string) => void = () => undefined;
    const pools = createPoolViews((pool) => onChange(pool), setup.config.serverId);
    const vmDeadlines = createVmDeadlineIndex();
    const summary = createSummaryViews();
    const ondemandIndex = createOndemandIndex();
    const checkoutSeconds = registerVmpoolerMetrics(setup.metrics, config.pools, pools);
    return {
      projections: [pools, vmDeadlines, summary, ondemandIndex],
      attach(core, system) {
        const lab = attachVmpoolerLab(core, { system, pools, vmDeadlines, config });
        const ondemand = attachOndemand(lab, system, ondemandIndex);
        onChange = (pool) => {
          lab.manager.reconcile(pool);
          ondemand.poolChanged(pool);
        };
        const { nowMs, warn } = lab.context;
        return {
          lab,
          ondemand,
          summary,
          async recover(devices) {
            const returned = await lab.recover(devices);
            if (returned > 0) warn({ returned }, `recovered after a crash: ${returned} device(s) given back to their pools`);
          },
          restoreDeadlines: () => void lab.restoreDeadlines(),
          // Pools start planning once the lab is whole: their devices' work resumed, deadlines armed.
          start() {
            lab.manager.start();
            // Pending on-demand requests: deadlines armed again, filling resumed.
            ondemand.resume();
          },
          stop() {
            ondemand.stop();
            lab.manager.stop();
          },
          registerRoutes: (router, deps) => {
            vmpoolerLabRoutes({ lab: timedCheckouts(lab, checkoutSeconds), readModels: core.context.readModels, identity: setup.identity, nowMs, summary, ondemand })(router, deps);
            registerLabpoolPoolsRoutes(router, lab);
          },
        };
      },
    };
  },
};
