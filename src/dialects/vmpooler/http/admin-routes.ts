import type { Router } from '@koa/router';
import { registerConfigRoutes } from './config-routes.js';
import { registerTokenRoutes } from './token-routes.js';
import { registerVmChangeRoutes } from './vm-change-routes.js';
import type { ApiVersion, VmpoolerDeps } from './vmpooler-deps.js';

/** Changing a VM (lifetime, tags, disks, snapshots), tokens, pool configuration and `/restart`. */
export function registerAdminRoutes(router: Router, deps: VmpoolerDeps, version: ApiVersion): void {
  registerVmChangeRoutes(router, deps, version);
  registerTokenRoutes(router, deps, version);
  registerConfigRoutes(router, deps, version);
}
