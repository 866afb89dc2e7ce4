import type { Router, RouterContext } from '@koa/router';
import type { Middleware } from 'koa';
import { httpError } from '../../../http/errors.js';
import { pathParam } from '../../../http/route-params.js';
import type { LogPosition } from '../../../store/port.js';
import type { BootactionKind } from '../bootactions/bootaction-actor.js';
import { sameBootactionKey } from '../bootactions/bootaction-key.js';
import { packAssetTarball } from '../bootactions/asset-tarball.js';
import { REPORT_REJECTIONS } from '../domain/bootaction-decider.js';
import type { BootactionViews } from '../projections/bootaction-views.js';

export { bootactionBodySchemas, bootactionRouteDocs } from '../bootactions/bootaction-route-docs.js';

export type BootactionRouteDeps = {
  readonly views: BootactionViews;
  readonly kind: BootactionKind;
  /** Guards the operator's read (`GET /nodes/{hostname}/bootactions`): the family's token check. */
  readonly read: Middleware;
  /** Default: the wall clock. */
  readonly nowMs?: () => number;
  /** Read-your-writes: resolves once the read models reached `position`; without it a report does not wait. */
  readonly waitFor?: (position: LogPosition) => Promise<void>;
};

/** A report body larger than this is refused (Drydock's bodies are a few detail lines). */
export const MAX_REPORT_BODY_BYTES = 65_536;

const KEY_HEADER = 'X-Bootaction-Key';
const CHALLENGE = { headers: { 'WWW-Authenticate': 'Bootaction-Key' } };

/** The node's key, or null when the header is absent or empty. */
function keyOf(ctx: RouterContext): string | null {
  const key = ctx.get(KEY_HEADER);
  return key === '' ? null : key;
}

const STATUS_OF_REJECTION: Readonly<Record<string, number>> = {
  [REPORT_REJECTIONS.notFound]: 404,
  [REPORT_REJECTIONS.noKey]: 401,
  [REPORT_REJECTIONS.wrongKey]: 403,
  [REPORT_REJECTIONS.badBody]: 400,
  [REPORT_REJECTIONS.final]: 409,
};

async function serveTarball(ctx: RouterContext, deps: BootactionRouteDeps, which: 'units' | 'files'): Promise<void> {
  const hostname = pathParam(ctx, 'hostname');
  const deploy = deps.views.latestDeploy(hostname);
  if (deploy === undefined) throw httpError(404, `node ${hostname} has no bootactions`);
  const key = keyOf(ctx);
  if (key === null) throw httpError(401, `${KEY_HEADER} is required`, CHALLENGE);
  if (!sameBootactionKey(key, deploy.key)) throw httpError(403, `${KEY_HEADER} does not match`);
  const tarball = await packAssetTarball(deploy[which], deploy.issuedAtMs);
  ctx.set('Content-Disposition', `attachment; filename="${hostname.replace(/["\\\r\n]/g, '_')}-${which}.tar.gz"`);
  ctx.type = 'application/gzip';
  ctx.body = tarball;
}

async function report(ctx: RouterContext, deps: BootactionRouteDeps): Promise<void> {
  if (Buffer.byteLength(ctx.request.rawBody ?? '') > MAX_REPORT_BODY_BYTES) throw httpError(413, `a report body is at most ${MAX_REPORT_BODY_BYTES} bytes`);
  const id = pathParam(ctx, 'id');
  if (deps.views.action(id) === undefined) throw httpError(404, `no bootaction ${id}`);
  const command = { type: 'Report', key: keyOf(ctx), body: ctx.request.body, nowMs: (deps.nowMs ?? Date.now)() } as const;
  const outcome = await deps.kind.ask(id, command, { actor: `bootaction:${id}`, correlationId: String(ctx.state.requestId ?? '') });
  if (!outcome.ok) {
    const { code, message } = outcome.rejection;
    throw httpError(STATUS_OF_REJECTION[code] ?? 409, message, code === REPORT_REJECTIONS.noKey ? CHALLENGE : undefined);
  }
  if (outcome.position !== undefined) await deps.waitFor?.(outcome.position);
  const { node, actionId, actionName, taskId, status } = outcome.state;
  ctx.body = { node_name: node, action_id: actionId, action_name: actionName, task_id: taskId, action_status: status };
}

function listActions(ctx: RouterContext, deps: BootactionRouteDeps): void {
  const hostname = pathParam(ctx, 'hostname');
  const deploy = deps.views.latestDeploy(hostname);
  if (deploy === undefined) throw httpError(404, `node ${hostname} has no bootactions`);
  ctx.body = deploy.actions.map((action) => ({
    action_id: action.actionId,
    action_name: action.actionName,
    action_status: action.status,
    action_key: action.key,
    report_url: `${action.reportUrl}/${action.actionId}/`,
  }));
}

/**
 * Drydock's bootaction routes: the node's asset tarballs (by its key, at the real path and at the
 * document's `bootdata` path), its reports (`POST /bootaction/{id}`, checked in Drydock's order), and
 * the operator's list of a node's bootactions (behind `read`).
 */
export function registerBootactionRoutes(router: Router, deps: BootactionRouteDeps): void {
  for (const which of ['units', 'files'] as const) {
    router.get(`/api/v1.0/bootactions/nodes/:hostname/${which}{/}`, (ctx) => serveTarball(ctx, deps, which));
    router.get(`/api/v1.0/bootdata/:hostname/${which}{/}`, (ctx) => serveTarball(ctx, deps, which));
  }
  router.post('/api/v1.0/bootaction/:id{/}', (ctx) => report(ctx, deps));
  // Drydock's own server routed reports under the plural `bootactions/`: clients written against it post there.
  router.post('/api/v1.0/bootactions/:id{/}', (ctx) => report(ctx, deps));
  router.get('/api/v1.0/nodes/:hostname/bootactions{/}', deps.read, (ctx) => listActions(ctx, deps));
}
