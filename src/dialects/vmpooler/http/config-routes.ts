import type { Router, RouterContext } from '@koa/router';
import { tokenHolder } from '../../../http/auth/credentials.js';
import { httpError } from '../../../http/errors.js';
import { pathParam } from '../../../http/route-params.js';
import type { LogPosition } from '../../../store/port.js';
import { checkPoolResets, checkPoolSizes, checkPoolTemplates, type PoolChanges } from '../domain/pool-changes.js';
import type { PoolCommand } from '../domain/pool-decider.js';
import type { PoolConfig } from '../domain/pool-config.js';
import { authConfigured, requiredToken, unauthorized } from './vm-auth.js';
import type { ApiVersion, VmpoolerDeps } from './vmpooler-deps.js';

/** One pool as `GET /config` shows it: vmpooler's fields (the template is a labpool image), then labpool's. */
function poolConfiguration(pool: PoolConfig) {
  return {
    name: pool.name,
    alias: pool.alias,
    template: pool.image,
    size: pool.size,
    ready_ttl: pool.readyTtlMin,
    ...(pool.domain === null ? {} : { domain: pool.domain }),
    image: pool.image,
    boot_config: pool.bootConfig,
    hardware_type: pool.hardwareType,
    environment: pool.environment,
    reimage_concurrency: pool.reimageConcurrency,
    template_ready: true,
  };
}

/** The experimental routes answer 405 unless enabled, and want a valid token when auth is on (401). */
async function experimental(ctx: RouterContext, deps: VmpoolerDeps): Promise<boolean> {
  if (!deps.lab.context.config.settings.experimentalFeatures) throw httpError(405, 'experimental features are not enabled');
  return (await requiredToken(ctx, deps)) !== undefined;
}

/**
 * Sends each pool its command and waits until the read models show them (the pool manager plans each
 * changed pool again as they do). True when any pool changed: vmpooler's 201 instead of 200.
 */
async function applyToPools(ctx: RouterContext, deps: VmpoolerDeps, commands: readonly (readonly [string, PoolCommand])[]): Promise<boolean> {
  const metadata = { actor: 'vmpooler', correlationId: String(ctx.state.requestId ?? '') };
  let latest: LogPosition | undefined;
  for (const [pool, command] of commands) {
    const outcome = await deps.lab.context.kinds.pools.ask(pool, command, metadata);
    if (!outcome.ok) throw httpError(400, outcome.rejection.message);
    if (outcome.position !== undefined && (latest === undefined || outcome.position > latest)) latest = outcome.position;
  }
  if (latest !== undefined) await deps.lab.context.waitFor(latest);
  return latest !== undefined;
}

/** 400 naming the invalid pools under `key`, or the commands to send. */
function commandsOrRefuse<Value>(ctx: RouterContext, checked: PoolChanges<Value>, key: string, toCommand: (value: Value) => PoolCommand): (readonly [string, PoolCommand])[] | undefined {
  if (checked.ok) return checked.changes.map(([pool, value]) => [pool, toCommand(value)] as const);
  ctx.status = 400;
  ctx.body = { ok: false, [key]: checked.invalid };
  return undefined;
}

async function changePools(ctx: RouterContext, deps: VmpoolerDeps, commands: (readonly [string, PoolCommand])[] | undefined, unchangedStatus: number): Promise<void> {
  if (commands === undefined) return;
  const changed = await applyToPools(ctx, deps, commands);
  ctx.status = changed ? 201 : unchangedStatus;
  ctx.body = { ok: true };
}

/** `GET /config`, the experimental pool changes and `GET /restart`, under one API version. */
export function registerConfigRoutes(router: Router, deps: VmpoolerDeps, version: ApiVersion): void {
  const prefix = `/api/${version}`;
  const { config } = deps.lab.context;
  const isPool = (name: string) => config.pools.some((pool) => pool.name === name);

  router.get(`${prefix}/config{/}`, (ctx) => {
    const pools = config.pools.flatMap((pool) => deps.lab.manager.effective(pool.name) ?? []);
    ctx.body = { pool_configuration: pools.map(poolConfiguration), status: { ok: true } };
  });

  router.post(`${prefix}/config/poolsize{/}`, async (ctx) => {
    if (!(await experimental(ctx, deps))) return;
    const nowMs = deps.nowMs();
    const commands = commandsOrRefuse(ctx, checkPoolSizes(ctx.request.body, isPool), 'not_configured', (size) => ({ type: 'SetSize', size, nowMs }));
    await changePools(ctx, deps, commands, 200);
  });

  router.delete(`${prefix}/config/poolsize/:pool{/}`, async (ctx) => {
    if (!(await experimental(ctx, deps))) return;
    const pool = pathParam(ctx, 'pool');
    if (!isPool(pool)) throw httpError(404, `no pool ${pool}`);
    await changePools(ctx, deps, [[pool, { type: 'ClearSize', nowMs: deps.nowMs() }]], 200);
  });

  router.post(`${prefix}/config/pooltemplate{/}`, async (ctx) => {
    if (!(await experimental(ctx, deps))) return;
    const nowMs = deps.nowMs();
    const isImage = (name: string) => deps.readModels.images.get(name) !== undefined;
    const commands = commandsOrRefuse(ctx, checkPoolTemplates(ctx.request.body, isPool, isImage), 'bad_templates', (image) => ({ type: 'SetTemplate', image, nowMs }));
    await changePools(ctx, deps, commands, 200);
  });

  // Every reset is a change: vmpooler answers 201 to each.
  router.post(`${prefix}/poolreset{/}`, async (ctx) => {
    if (!(await experimental(ctx, deps))) return;
    const nowMs = deps.nowMs();
    const commands = commandsOrRefuse(ctx, checkPoolResets(ctx.request.body, isPool), 'bad_pools', () => ({ type: 'Reset', nowMs }));
    await changePools(ctx, deps, commands, 201);
  });

  router.get(`${prefix}/restart{/}`, async (ctx) => {
    if (!(await adminToken(ctx, deps))) return;
    for (const pool of config.pools) deps.lab.manager.reconcile(pool.name);
    ctx.body = { ok: true, message: `Reloading pool configuration: ${config.pools.length} pool(s) planned again with their overrides; nothing restarts` };
  });
}

/**
 * `/restart` takes an admin's token. The spec document answers 404 when no valid token comes (and
 * with no users, no token can); a valid token of a user who is no admin gets 401.
 */
async function adminToken(ctx: RouterContext, deps: VmpoolerDeps): Promise<boolean> {
  const outcome = authConfigured(deps) ? await tokenHolder(ctx, deps.identity.tokens) : { status: 'absent' as const };
  if (outcome.status !== 'accepted') throw httpError(404, 'an admin token is needed');
  if (outcome.who.roles.includes('admin')) return true;
  unauthorized(ctx);
  return false;
}
