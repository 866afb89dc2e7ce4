import type { Dialect, DialectPart } from '../dialect.js';
import { attachDrydockLab, createTaskDeadlineIndex, type DrydockLab } from './actors/drydock-lab.js';
import { createDesignLoader } from './design/design-loader.js';
import { filterableNode } from './domain/design-nodes.js';
import { drydockSettingsOf } from './drydock-config.js';
import { registerDrydockBaseRoutes } from './http/base-routes.js';
import { bootactionBodySchemas, bootactionRouteDocs, registerBootactionRoutes } from './http/bootaction-routes.js';
import { designBodySchemas, designRouteDocs, registerDesignRoutes } from './http/design-routes.js';
import type { Router } from '@koa/router';
import type { WaitForPosition } from '../../lab/lab.js';
import type { DesignLoader } from './design/design-loader.js';
import { createDrydockAccess, type DrydockAccess } from './http/drydock-auth.js';
import { formatDrydockError, isDrydockError } from './http/drydock-errors.js';
import { labpoolTasksRouteDocs, registerLabpoolTasksRoutes } from './http/labpool-tasks-routes.js';
import { registerNodeRoutes } from './http/node-routes.js';
import { registerTaskRoutes } from './http/task-routes.js';
import { drydockTaskRouteDocs } from './http/task-route-docs.js';
import { createBootactionViews } from './projections/bootaction-views.js';
import { createBuildDataViews } from './projections/build-data.js';
import { createTaskViews } from './projections/task-views.js';
import { taskAudit } from './projections/drydock-audit.js';
import { registerDrydockMetrics } from './drydock-metrics.js';
import type { TaskState } from './domain/task-state.js';

/** What Drydock's routes over a lab need. */
export type DrydockRouteDeps = { readonly lab: DrydockLab; readonly access: DrydockAccess; readonly designs: DesignLoader; readonly waitFor: WaitForPosition };

/** Drydock's routes over one lab: tasks, nodes, designs and bootactions, and the dashboard's task list. */
export function registerDrydockLabRoutes(router: Router, deps: DrydockRouteDeps): void {
  const { lab, access } = deps;
  registerTaskRoutes(router, lab, access);
  registerNodeRoutes(router, lab, access);
  registerDesignRoutes(router, { loader: deps.designs, nodes: () => lab.readModels.devices.list().map(filterableNode), read: access.read });
  registerBootactionRoutes(router, { views: lab.bootactionViews, kind: lab.bootactionKind, read: access.read, waitFor: deps.waitFor });
  registerLabpoolTasksRoutes(router, () => lab.tasks);
}

/** Drydock on a running lab: its lab (tasks, bootactions, build data) for tests and tools. */
export type DrydockPart = DialectPart & { readonly lab: DrydockLab };

/** Drydock: tasks over node filters, build data and bootactions, under `/api/v1.0/`. */
export const drydockDialect: Dialect<DrydockPart> = {
  name: 'drydock',
  // `/versions` lives at the root, as in Drydock, but is Drydock's: its errors take Drydock's shape too.
  errorPrefixes: ['/api/v1.0/', '/versions'],
  formatError: formatDrydockError,
  // A task, a design check or a bootaction report is a few kilobytes.
  maxBodyBytes: 65_536,
  deferBodyErrors: true,
  isErrorBody: isDrydockError,
  registerRoutes: registerDrydockBaseRoutes,
  routeDocs: { ...drydockTaskRouteDocs, ...designRouteDocs, ...bootactionRouteDocs, ...labpoolTasksRouteDocs },
  bodySchemas: { ...designBodySchemas, ...bootactionBodySchemas },
  auditKinds: [taskAudit],
  lab(setup) {
    const settings = drydockSettingsOf(setup.config, setup.simulatedLab);
    const tasks = createTaskViews();
    const taskDeadlines = createTaskDeadlineIndex();
    const buildData = createBuildDataViews();
    const bootactionViews = createBootactionViews();
    const devices = setup.readModels.devices;
    const metrics = registerDrydockMetrics(setup.metrics, tasks);
    const designs = createDesignLoader({
      designFolder: settings.designFolder,
      nodes: () => devices.list().map(filterableNode),
      knownImages: () => new Set(setup.readModels.images.list(true).map((image) => image.name)),
    });
    return {
      projections: [tasks, taskDeadlines, buildData, bootactionViews],
      attach(core, system) {
        const onTaskEnded = (task: TaskState) => metrics.taskEnded(task.action ?? 'unknown', task.result.status, task.parentTaskId !== null, (task.updatedAtMs ?? task.createdAtMs) - task.createdAtMs);
        const lab = attachDrydockLab(core, { system, tasks, taskDeadlines, buildData, bootactionViews, designs, settings, onTaskEnded });
        const access = createDrydockAccess(setup.identity.tokens);
        return {
          lab,
          async recover(devices) {
            const recovered = await lab.recover(devices);
            if (recovered.parents + recovered.nodeTasks > 0) lab.context.warn({ ...recovered }, `carried on ${recovered.parents} task(s) and ${recovered.nodeTasks} node task(s) a stop cut short`);
          },
          restoreDeadlines: () => void lab.restoreDeadlines(),
          registerRoutes: (router) => registerDrydockLabRoutes(router, { lab, access, designs, waitFor: core.waitFor }),
        };
      },
    };
  },
};
