import type { Router, RouterContext } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import { pathParam } from '../../../http/route-params.js';
import type { CheckoutWant } from '../actors/checkout.js';
import { optionalToken, requiredToken } from './vm-auth.js';
import { clientHostName, effectivePoolOf, findHost, hostNameOf, poolHostInfo, runningVmInfo } from './vm-hosts.js';
import type { ApiVersion, VmpoolerDeps } from './vmpooler-deps.js';
import { POOL_NAME } from '../domain/pool-config.js';

const MAX_PER_POOL = 100;

/** `{"pool": "2", …}` (counts as strings or integers): what to check out, in the body's order. */
export function parseCheckoutBody(body: unknown): CheckoutWant[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw httpError(400, 'the body must be a JSON object of pool names and counts');
  const wants: CheckoutWant[] = [];
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (!POOL_NAME.test(name)) throw httpError(400, `bad pool name: ${JSON.stringify(name)}`);
    const count = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isInteger(count) || count < 1 || count > MAX_PER_POOL) throw httpError(400, `count for ${name} must be an integer from 1 to ${MAX_PER_POOL}`);
    wants.push({ name, count });
  }
  if (wants.length === 0) throw httpError(400, 'no pool asked for');
  return wants;
}

/** `a+a+b` → a: 2, b: 1. */
export function parseCheckoutPath(pools: string): CheckoutWant[] {
  const counts = new Map<string, number>();
  for (const name of pools.split('+')) {
    if (!POOL_NAME.test(name)) throw httpError(400, `bad pool name: ${JSON.stringify(name)}`);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  for (const [name, count] of counts) if (count > MAX_PER_POOL) throw httpError(400, `count for ${name} must be an integer from 1 to ${MAX_PER_POOL}`);
  return [...counts].map(([name, count]) => ({ name, count }));
}

async function checkout(ctx: RouterContext, deps: VmpoolerDeps, version: ApiVersion, wants: readonly CheckoutWant[]): Promise<void> {
  const token = await optionalToken(ctx, deps);
  if (token === undefined) return;
  const metadata = { actor: token === null ? 'vmpooler' : `user:${token.user}`, correlationId: String(ctx.state.requestId ?? '') };
  const result = await deps.lab.checkout(wants, token === null ? null : { user: token.user, tokenHash: token.hash }, metadata);
  if (!result.ok) {
    ctx.status = result.reason === 'unknown_pool' ? 404 : 503;
    ctx.body = { ok: false };
    return;
  }
  const body: Record<string, unknown> = { ok: true };
  let domain: string | undefined;
  for (const [name, vms] of result.vms) {
    const hosts = vms.map((vm) => {
      const device = deps.readModels.devices.get(vm.device);
      const hostName = device === undefined ? { hostname: vm.device, fqdn: vm.device, domain: '' } : hostNameOf(device, deps.lab.manager.effective(vm.pool));
      domain ??= hostName.domain;
      return clientHostName(hostName, version);
    });
    body[name] = { hostname: hosts.length === 1 ? hosts[0] : hosts };
  }
  if (version === 'v1') body.domain = deps.lab.context.config.settings.domain ?? domain ?? '';
  ctx.body = body;
}

/** `/vm` and `/vm/<host>` of one API version. */
export function registerVmRoutes(router: Router, deps: VmpoolerDeps, version: ApiVersion): void {
  const prefix = `/api/${version}`;
  const { pools } = deps.lab.context;

  router.get(`${prefix}/vm{/}`, (ctx) => {
    ctx.body = deps.lab.context.config.pools.map((pool) => pool.name);
  });

  router.post(`${prefix}/vm{/}`, (ctx) => checkout(ctx, deps, version, parseCheckoutBody(ctx.request.body)));
  router.post(`${prefix}/vm/:pools`, (ctx) => checkout(ctx, deps, version, parseCheckoutPath(pathParam(ctx, 'pools'))));

  router.get(`${prefix}/vm/:host`, (ctx) => {
    const host = pathParam(ctx, 'host');
    const device = findHost(deps, host);
    const vm = device === undefined ? undefined : pools.vmOnDevice(device.name);
    if (device !== undefined && vm !== undefined) {
      ctx.body = { ok: true, [host]: runningVmInfo(deps, device, vm, version) };
      return;
    }
    const pool = device === undefined ? undefined : effectivePoolOf(deps, device.name);
    const member = device === undefined || pool === undefined ? undefined : pools.queues(pool.name).members.get(device.name);
    if (device === undefined || pool === undefined || member === undefined) throw httpError(404, `no host ${host}`);
    const state = member.phase === 'ready' ? 'ready' : member.phase === 'completed' || member.phase === 'failed' ? 'completed' : 'pending';
    ctx.body = { ok: true, [host]: poolHostInfo(device, pool, state, version) };
  });

  router.delete(`${prefix}/vm/:host`, async (ctx) => {
    const host = pathParam(ctx, 'host');
    const device = findHost(deps, host);
    const vm = device === undefined ? undefined : pools.vmOnDevice(device.name);
    if (vm?.id == null) throw httpError(404, `no running host ${host}`);
    // A host checked out with a token takes a valid token to delete.
    if (vm.tokenHash !== null && (await requiredToken(ctx, deps)) === undefined) return;
    const outcome = await deps.lab.context.kinds.vms.ask(vm.id, { type: 'Delete', reason: 'deleted', nowMs: deps.nowMs() }, { actor: 'vmpooler' });
    if (!outcome.ok) throw httpError(404, outcome.rejection.message);
    if (outcome.position !== undefined) await deps.lab.context.waitFor(outcome.position);
    ctx.body = { ok: true };
  });
}
