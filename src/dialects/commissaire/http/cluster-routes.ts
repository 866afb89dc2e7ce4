import type { Router, RouterContext } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import type { CommissaireViews } from '../projections/commissaire-views.js';
import type { PresentCluster } from '../domain/cluster-decider.js';
import { clusterView, type ClusterView } from '../domain/cluster-status.js';
import { commissaireUser } from './commissaire-auth.js';
import { clusterBodySchema, clusterHostsBodySchema, createBodyReader, type ClusterBody, type ClusterHostsBody } from './commissaire-bodies.js';
import { addressParam, answer, answerDeleted, COMMISSAIRE_PREFIX, nameParam, valueOf } from './commissaire-params.js';
import type { CommissaireRouteDeps } from './commissaire-routes.js';

const readClusterBody = createBodyReader<ClusterBody>(clusterBodySchema);
const readClusterHostsBody = createBodyReader<ClusterHostsBody>(clusterHostsBodySchema);

const CLUSTER = `${COMMISSAIRE_PREFIX}/cluster/:name{/}`;
const MEMBERS = `${COMMISSAIRE_PREFIX}/cluster/:name/hosts{/}`;
const MEMBER = `${COMMISSAIRE_PREFIX}/cluster/:name/hosts/:address{/}`;

/** GET /cluster/{name}: its status computed from its members' host records. */
export function describeCluster(views: CommissaireViews, cluster: PresentCluster): ClusterView {
  return clusterView(cluster, (address) => views.host(address)?.status ?? null);
}

/** The cluster the path names; 404 when it has no such name or none exists (Commissaire answered 500 there). */
export function pathCluster(ctx: RouterContext, views: CommissaireViews): PresentCluster {
  const name = nameParam(ctx);
  const cluster = views.cluster(name);
  if (cluster === undefined) throw httpError(404, `no cluster ${name}`);
  return cluster;
}

async function createCluster(ctx: RouterContext, deps: CommissaireRouteDeps): Promise<void> {
  const name = nameParam(ctx);
  const body = readClusterBody(ctx);
  const containerManager = body.container_manager === '' ? null : (body.container_manager ?? null);
  const outcome = await deps.lab.createCluster({ name, network: body.network ?? null, containerManager, by: commissaireUser(ctx) });
  answer(ctx, 201, describeCluster(deps.lab.views, valueOf(outcome)));
}

/** `/cluster/{name}` and `/clusters`. */
function registerClusters(router: Router, deps: CommissaireRouteDeps): void {
  const { access, lab } = deps;
  router.get(`${COMMISSAIRE_PREFIX}/clusters{/}`, access.read, (ctx) =>
    answer(
      ctx,
      200,
      lab.views.clusters().map((cluster) => cluster.name),
    ),
  );
  router.get(CLUSTER, access.read, (ctx) => answer(ctx, 200, describeCluster(lab.views, pathCluster(ctx, lab.views))));
  router.put(CLUSTER, access.write, (ctx) => createCluster(ctx, deps));
  router.delete(CLUSTER, access.write, async (ctx) => {
    valueOf(await lab.deleteCluster(nameParam(ctx), commissaireUser(ctx)));
    answerDeleted(ctx);
  });
}

/** `/cluster/{name}/hosts`: the member list and its compare-and-swap. */
function registerMembers(router: Router, deps: CommissaireRouteDeps): void {
  const { access, lab } = deps;
  router.get(MEMBERS, access.read, (ctx) => answer(ctx, 200, pathCluster(ctx, lab.views).hosts));
  router.put(MEMBERS, access.write, async (ctx) => {
    const name = nameParam(ctx);
    const body = readClusterHostsBody(ctx);
    const cluster = valueOf(await lab.replaceClusterHosts(name, body.old, body.new, commissaireUser(ctx)));
    answer(ctx, 200, cluster.hosts);
  });
}

/** `/cluster/{name}/hosts/{address}`: membership test (200 or 404), add (200) and remove. */
function registerMember(router: Router, deps: CommissaireRouteDeps): void {
  const { access, lab } = deps;
  router.get(MEMBER, access.read, (ctx) => {
    const cluster = pathCluster(ctx, lab.views);
    const address = addressParam(ctx);
    if (!cluster.hosts.includes(address)) throw httpError(404, `host ${address} is not in cluster ${cluster.name}`);
    answer(ctx, 200, [address]);
  });
  router.put(MEMBER, access.write, async (ctx) => {
    const name = nameParam(ctx);
    const address = addressParam(ctx);
    valueOf(await lab.addClusterHost(name, address, commissaireUser(ctx)));
    answer(ctx, 200, [address]);
  });
  router.delete(MEMBER, access.write, async (ctx) => {
    const name = nameParam(ctx);
    const address = addressParam(ctx);
    valueOf(await lab.removeClusterHost(name, address, commissaireUser(ctx)));
    answerDeleted(ctx);
  });
}

/** Commissaire's cluster routes: clusters, their members, one member. */
export function registerClusterRoutes(router: Router, deps: CommissaireRouteDeps): void {
  registerClusters(router, deps);
  registerMembers(router, deps);
  registerMember(router, deps);
}
