import type { Router } from '@koa/router';
import type { CommissaireLab } from '../actors/commissaire-lab.js';
import type { CommissaireAccess } from './commissaire-auth.js';
import { registerClusterRoutes } from './cluster-routes.js';
import { registerConfigRecordRoutes } from './config-record-routes.js';
import { registerHostRoutes } from './host-routes.js';
import { registerOperationRoutes } from './operation-routes.js';

export { commissaireBodySchemas, commissaireRouteDocs } from './commissaire-route-docs.js';

/** What Commissaire's routes over a lab need. */
export type CommissaireRouteDeps = { readonly lab: CommissaireLab; readonly access: CommissaireAccess };

/**
 * Commissaire's routes under `/api/v0/`, each with and without its trailing slash: clusters and their
 * members, cluster operations, hosts, networks and container managers. Reads pass `access.read`,
 * changes `access.write`, both before the body is read; every answer is JSON, every error its bare
 * reason phrase (the dialect's error formatter).
 */
export function registerCommissaireRoutes(router: Router, deps: CommissaireRouteDeps): void {
  registerClusterRoutes(router, deps);
  registerOperationRoutes(router, deps);
  registerHostRoutes(router, deps);
  registerConfigRecordRoutes(router, deps);
}
