import type { Router, RouterContext } from '@koa/router';
import { randomUUID } from 'node:crypto';
import { httpError } from '../../../http/errors.js';
import { pathParam } from '../../../http/route-params.js';
import { ondemandTimeoutMs, type Ondemand } from '../actors/ondemand.js';
import { missingFor, type OndemandState, type OndemandWant } from '../domain/ondemand-decider.js';
import { poolsNamed } from '../domain/pool-config.js';
import { requiredToken } from './vm-auth.js';
import { clientHostName, hostNameOf } from './vm-hosts.js';
import type { ApiVersion, VmpoolerDeps } from './vmpooler-deps.js';

/** Request ids a client may choose (and the ones labpool makes: UUIDs). */
const REQUEST_ID = /^[A-Za-z0-9_.-]{1,100}$/;

type Parsed = { readonly wants: OndemandWant[]; readonly requestId: string | undefined };

/** `{"pool": "2", …, "request_id"?: "…"}`: counts as strings or integers. */
export function parseOndemandBody(body: unknown): Parsed {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw httpError(400, 'the body must be a JSON object of pool names and counts');
  let requestId: string | undefined;
  const wants: OndemandWant[] = [];
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (name === 'request_id') {
      if (typeof raw !== 'string' || !REQUEST_ID.test(raw)) throw httpError(400, 'request_id must be 1 to 100 characters [A-Za-z0-9_.-]');
      requestId = raw;
      continue;
    }
    const count = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isInteger(count) || count < 1) throw httpError(400, `count for ${name} must be a positive integer`);
    wants.push({ name, count });
  }
  if (wants.length === 0) throw httpError(400, 'no pool asked for');
  return { wants, requestId };
}

/** `a+a+b` → a: 2, b: 1. */
function parseOndemandPath(pools: string): Parsed {
  const counts = new Map<string, number>();
  for (const name of pools.split('+')) if (name !== '') counts.set(name, (counts.get(name) ?? 0) + 1);
  if (counts.size === 0) throw httpError(400, 'no pool asked for');
  return { wants: [...counts].map(([name, count]) => ({ name, count })), requestId: undefined };
}

function fail(ctx: RouterContext, status: number, extra: Record<string, unknown> = {}): void {
  ctx.status = status;
  ctx.body = { ok: false, ...extra };
}

async function create(ctx: RouterContext, deps: VmpoolerDeps, ondemand: Ondemand, version: ApiVersion, parse: () => Parsed): Promise<void> {
  // A token first, as vmpooler asks: an on-demand request needs one whenever auth is on.
  const token = await requiredToken(ctx, deps);
  if (token === undefined) return;
  const { wants, requestId } = parse();
  const { settings, pools } = deps.lab.context.config;
  const bad = wants.filter((want) => poolsNamed(pools, want.name).length === 0).map((want) => want.name);
  if (bad.length > 0) return fail(ctx, 404, { bad_templates: bad });
  const max = settings.maxOndemandInstancesPerRequest;
  if (wants.some((want) => want.count > max)) return fail(ctx, 403, { message: `requested amount of instances exceeds the maximum ${max}` });
  const id = requestId ?? randomUUID();
  const command = { type: 'Request', id, wants, user: token?.user ?? null, tokenHash: token?.hash ?? null, timeoutMs: ondemandTimeoutMs(deps.lab), nowMs: deps.nowMs() } as const;
  const outcome = await ondemand.kind.ask(id, command, { actor: token === null ? 'vmpooler' : `user:${token.user}`, correlationId: String(ctx.state.requestId ?? '') });
  if (!outcome.ok) {
    if (outcome.rejection.code === 'conflict') return fail(ctx, 409, { request_id: id, message: `request_id '${id}' has already been created` });
    throw httpError(400, outcome.rejection.message);
  }
  if (outcome.position !== undefined) await deps.lab.context.waitFor(outcome.position);
  ondemand.requested(wants);
  ctx.status = 201;
  ctx.body = { ok: true, request_id: id, ...(version === 'v1' && settings.domain !== null ? { domain: settings.domain } : {}) };
}

/** `GET /ondemandvm/<id>`'s body and status for a request's state. */
function statusOf(deps: VmpoolerDeps, state: OndemandState, version: ApiVersion): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { ok: true, request_id: state.id, ready: state.status === 'ready' };
  switch (state.status) {
    case 'pending':
      for (const want of state.wants) {
        const missing = Math.max(0, missingFor(state, want.name));
        body[want.name] = { ready: String(want.count - missing), pending: String(missing) };
      }
      return { status: 202, body };
    case 'ready': {
      let domain: string | undefined;
      for (const vm of state.vms) {
        const device = deps.readModels.devices.get(vm.device);
        const name = device === undefined ? { hostname: vm.device, fqdn: vm.device, domain: '' } : hostNameOf(device, deps.lab.manager.effective(vm.pool));
        domain ??= name.domain;
        const entry = (body[vm.name] ??= { hostname: [] as string[] }) as { hostname: string[] };
        entry.hostname.push(clientHostName(name, version));
      }
      if (version === 'v1') body.domain = deps.lab.context.config.settings.domain ?? domain ?? '';
      return { status: 200, body };
    }
    case 'failed':
      return {
        status: 200,
        body: { ...body, message: `The request failed to provision instances within the configured ondemand timeout of ${deps.lab.context.config.settings.ondemandTimeoutMin} minutes` },
      };
    case 'deleted':
      return { status: 200, body: { ...body, message: 'The request has been deleted' } };
  }
}

/**
 * vmpooler's on-demand requests (`/ondemandvm`): asked for, then filled host by host as the pools
 * make devices ready (see actors/ondemand.ts). Without an on-demand service (deps built by hand)
 * every route answers 404.
 */
export function registerOndemandRoutes(router: Router, deps: VmpoolerDeps, version: ApiVersion): void {
  const prefix = `/api/${version}`;
  const service = (): Ondemand =>
    deps.ondemand ??
    (() => {
      throw httpError(404, 'on-demand requests are not served here');
    })();

  router.post(`${prefix}/ondemandvm{/}`, (ctx) => create(ctx, deps, service(), version, () => parseOndemandBody(ctx.request.body)));
  router.post(`${prefix}/ondemandvm/:pools`, (ctx) => create(ctx, deps, service(), version, () => parseOndemandPath(pathParam(ctx, 'pools'))));

  router.get(`${prefix}/ondemandvm/:id`, async (ctx) => {
    const id = pathParam(ctx, 'id');
    const ondemand = service();
    if (!REQUEST_ID.test(id)) return fail(ctx, 404, { message: `no request found for request_id '${id}'` });
    const state = await ondemand.settle(id);
    if (state.id === null) return fail(ctx, 404, { message: `no request found for request_id '${id}'` });
    const answer = statusOf(deps, state, version);
    ctx.status = answer.status;
    ctx.body = answer.body;
  });

  router.delete(`${prefix}/ondemandvm/:id`, async (ctx) => {
    const id = pathParam(ctx, 'id');
    const ondemand = service();
    if ((await requiredToken(ctx, deps)) === undefined) return;
    if (!REQUEST_ID.test(id)) return fail(ctx, 404, { message: `no request found for request_id '${id}'` });
    const { state } = await ondemand.kind.read(id);
    if (state.id === null) return fail(ctx, 404, { message: `no request found for request_id '${id}'` });
    if (state.status === 'deleted') {
      ctx.body = { ok: true, message: 'the request has already been deleted' };
      return;
    }
    const outcome = await ondemand.kind.ask(id, { type: 'Delete', nowMs: deps.nowMs() }, { actor: 'vmpooler' });
    if (!outcome.ok) throw httpError(404, outcome.rejection.message);
    // Its hosts go to completed before the answer (the actor's reaction does the same, idempotently).
    await ondemand.releaseVms(outcome.state, { actor: 'vmpooler' });
    if (outcome.position !== undefined) await deps.lab.context.waitFor(outcome.position);
    ctx.body = { ok: true };
  });
}
