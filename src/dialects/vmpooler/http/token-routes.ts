import type { Router, RouterContext } from '@koa/router';
import { DateTime } from 'luxon';
import { basicUser } from '../../../http/auth/credentials.js';
import { httpError } from '../../../http/errors.js';
import { pathParam } from '../../../http/route-params.js';
import type { User } from '../../../identity/user-directory.js';
import { authConfigured, unauthorized } from './vm-auth.js';
import { clientHostName, hostNameOf } from './vm-hosts.js';
import type { ApiVersion, VmpoolerDeps } from './vmpooler-deps.js';

/** vmpooler's token times: `2015-04-28 19:17:47 -0700`; labpool writes them in UTC (`+0000`). */
export function vmpoolerTime(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toFormat('yyyy-MM-dd HH:mm:ss ZZZ');
}

/** Token routes exist only when labpool has users: 404 `{"ok": false}` otherwise, as in vmpooler. */
function requireAuthConfigured(deps: VmpoolerDeps): void {
  if (!authConfigured(deps)) throw httpError(404, 'no authentication configured');
}

/** The user of the request's HTTP Basic credentials; undefined after answering 401. */
async function basicAuthUser(ctx: RouterContext, deps: VmpoolerDeps): Promise<User | undefined> {
  requireAuthConfigured(deps);
  const outcome = await basicUser(ctx, deps.identity.users);
  if (outcome.status === 'accepted') return outcome.who;
  unauthorized(ctx);
  return undefined;
}

/** Host names of the token's open VMs, as this API version names hosts. */
function runningHosts(deps: VmpoolerDeps, tokenHash: string, version: ApiVersion): string[] {
  const { pools } = deps.lab.context;
  return pools.vmsOfToken(tokenHash).flatMap((id) => {
    const vm = pools.vm(id);
    const device = vm === undefined ? undefined : deps.readModels.devices.get(vm.device);
    if (vm === undefined || device === undefined) return [];
    return [clientHostName(hostNameOf(device, deps.lab.manager.effective(vm.pool)), version)];
  });
}

/** `/token` and `/token/<token>` under one API version; labpool keeps only tokens' SHA-256 hashes. */
export function registerTokenRoutes(router: Router, deps: VmpoolerDeps, version: ApiVersion): void {
  const prefix = `/api/${version}`;

  router.post(`${prefix}/token{/}`, async (ctx) => {
    const user = await basicAuthUser(ctx, deps);
    if (user === undefined) return;
    const token = await deps.identity.tokens.create(user, { correlationId: String(ctx.state.requestId ?? '') });
    ctx.body = { ok: true, token };
  });

  // The tokens themselves are not kept: the listing is keyed by their hashes.
  router.get(`${prefix}/token{/}`, async (ctx) => {
    const user = await basicAuthUser(ctx, deps);
    if (user === undefined) return;
    const body: Record<string, unknown> = { ok: true };
    for (const view of deps.identity.tokens.list(user.name)) {
      body[view.hash] = { created: vmpoolerTime(view.createdAtMs), ...(view.lastUsedAtMs === null ? {} : { last: vmpoolerTime(view.lastUsedAtMs) }) };
    }
    ctx.body = body;
  });

  router.get(`${prefix}/token/:token{/}`, (ctx) => {
    requireAuthConfigured(deps);
    const token = pathParam(ctx, 'token');
    const view = deps.identity.tokens.describe(token);
    if (view === undefined || view.revoked) throw httpError(404, 'no such token');
    ctx.body = {
      ok: true,
      [token]: {
        user: view.user,
        created: vmpoolerTime(view.createdAtMs),
        ...(view.lastUsedAtMs === null ? {} : { last: vmpoolerTime(view.lastUsedAtMs) }),
        vms: { running: runningHosts(deps, view.hash, version) },
      },
    };
  });

  router.delete(`${prefix}/token/:token{/}`, async (ctx) => {
    const user = await basicAuthUser(ctx, deps);
    if (user === undefined) return;
    const outcome = await deps.identity.tokens.revoke(pathParam(ctx, 'token'), user, { correlationId: String(ctx.state.requestId ?? '') });
    if (outcome.ok) ctx.body = { ok: true };
    else if (outcome.code === 'forbidden') unauthorized(ctx);
    else throw httpError(404, outcome.message);
  });
}
