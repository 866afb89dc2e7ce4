import type { Router, RouterContext } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import type { OperationKind } from '../domain/operation-decider.js';
import { operationView } from '../domain/operation-view.js';
import { commissaireUser } from './commissaire-auth.js';
import { createBodyReader, deployBodySchema, emptyBodySchema, type DeployBody } from './commissaire-bodies.js';
import { answer, COMMISSAIRE_PREFIX, nameParam, valueOf } from './commissaire-params.js';
import type { CommissaireRouteDeps } from './commissaire-routes.js';
import { pathCluster } from './cluster-routes.js';

/** The three cluster operations, each at `/cluster/{name}/<kind>`. */
export const OPERATION_ROUTE_KINDS: readonly OperationKind[] = ['deploy', 'upgrade', 'restart'];

const readDeployBody = createBodyReader<DeployBody>(deployBodySchema);
const readEmptyBody = createBodyReader<object>(emptyBodySchema);

/** Deploy names its image; upgrade and restart take `{}` (any field is ignored). */
function versionOf(ctx: RouterContext, kind: OperationKind): string | null {
  if (kind === 'deploy') return readDeployBody(ctx).version;
  readEmptyBody(ctx);
  return null;
}

async function startOperation(ctx: RouterContext, deps: CommissaireRouteDeps, kind: OperationKind): Promise<void> {
  const name = nameParam(ctx);
  const version = versionOf(ctx, kind);
  const operation = valueOf(await deps.lab.startOperation(name, kind, version, commissaireUser(ctx)));
  answer(ctx, 201, operationView(operation));
}

/** The latest operation of `kind` on the cluster; 404 for an unknown cluster or before its first. */
function showOperation(ctx: RouterContext, deps: CommissaireRouteDeps, kind: OperationKind): void {
  const cluster = pathCluster(ctx, deps.lab.views);
  const operation = deps.lab.views.operation(cluster.name, kind);
  if (operation === undefined) throw httpError(404, `no ${kind} of cluster ${cluster.name} yet`);
  answer(ctx, 200, operationView(operation));
}

/** `PUT|GET /cluster/{name}/deploy|upgrade|restart`: start one (201) and follow the latest. */
export function registerOperationRoutes(router: Router, deps: CommissaireRouteDeps): void {
  for (const kind of OPERATION_ROUTE_KINDS) {
    const path = `${COMMISSAIRE_PREFIX}/cluster/:name/${kind}{/}`;
    router.put(path, deps.access.write, (ctx) => startOperation(ctx, deps, kind));
    router.get(path, deps.access.read, (ctx) => showOperation(ctx, deps, kind));
  }
}
