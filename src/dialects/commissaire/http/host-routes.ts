import type { Router, RouterContext } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import { ADDRESS_PATTERN } from '../domain/commissaire-rules.js';
import { hostListEntry, hostStatusView, hostView } from '../domain/host-state.js';
import type { RegisteredHost } from '../domain/host-decider.js';
import { commissaireUser } from './commissaire-auth.js';
import { createBodyReader, hostBodySchema, selfHostBodySchema, type HostBody } from './commissaire-bodies.js';
import { addressParam, answer, answerDeleted, callerAddress, COMMISSAIRE_PREFIX, valueOf } from './commissaire-params.js';
import type { CommissaireRouteDeps } from './commissaire-routes.js';

const readHostBody = createBodyReader<HostBody>(hostBodySchema);
const readSelfHostBody = createBodyReader<HostBody>(selfHostBodySchema);

const HOST = `${COMMISSAIRE_PREFIX}/host/:address{/}`;

async function registerHost(ctx: RouterContext, deps: CommissaireRouteDeps, address: string, body: HostBody): Promise<void> {
  const registration = { address, sshPrivKey: body.ssh_priv_key, remoteUser: body.remote_user ?? null, cluster: body.cluster ?? null, by: commissaireUser(ctx) };
  answer(ctx, 201, hostView(valueOf(await deps.lab.registerHost(registration))));
}

/**
 * `PUT /host`: the address from the body, else the caller's own, so that a host can register itself
 * from its boot script. A caller whose address could not name a host (IPv6) is a 400.
 */
async function registerSelf(ctx: RouterContext, deps: CommissaireRouteDeps): Promise<void> {
  const body = readSelfHostBody(ctx);
  const address = body.address ?? callerAddress(ctx);
  if (address === undefined || !ADDRESS_PATTERN.test(address)) throw httpError(400, `no address in the body, and the caller's ${JSON.stringify(address ?? '')} names no host`);
  await registerHost(ctx, deps, address, body);
}

/** The host the path names; 404 when unknown. */
function pathHost(ctx: RouterContext, deps: CommissaireRouteDeps): RegisteredHost {
  const address = addressParam(ctx);
  const host = deps.lab.views.host(address);
  if (host === undefined) throw httpError(404, `no host ${address}`);
  return host;
}

/** `/host/{address}`, `PUT /host` and `/hosts`. */
function registerHostRecords(router: Router, deps: CommissaireRouteDeps): void {
  const { access, lab } = deps;
  router.get(`${COMMISSAIRE_PREFIX}/hosts{/}`, access.read, (ctx) => answer(ctx, 200, lab.views.hosts().map(hostListEntry)));
  router.put(`${COMMISSAIRE_PREFIX}/host{/}`, access.write, (ctx) => registerSelf(ctx, deps));
  router.get(HOST, access.read, (ctx) => answer(ctx, 200, hostView(pathHost(ctx, deps))));
  router.put(HOST, access.write, (ctx) => {
    const address = addressParam(ctx);
    return registerHost(ctx, deps, address, readHostBody(ctx));
  });
  router.delete(HOST, access.write, async (ctx) => {
    valueOf(await lab.deleteHost(addressParam(ctx), commissaireUser(ctx)));
    answerDeleted(ctx);
  });
}

/**
 * Commissaire's host routes: records, credentials and status. The credentials open a root shell on
 * the host, so reading them takes the role that may change hosts, not merely read them.
 */
export function registerHostRoutes(router: Router, deps: CommissaireRouteDeps): void {
  registerHostRecords(router, deps);
  router.get(`${COMMISSAIRE_PREFIX}/host/:address/creds{/}`, deps.access.write, (ctx) => answer(ctx, 200, valueOf(deps.lab.hostCreds(addressParam(ctx)))));
  router.get(`${COMMISSAIRE_PREFIX}/host/:address/status{/}`, deps.access.read, (ctx) => answer(ctx, 200, hostStatusView(pathHost(ctx, deps))));
}
