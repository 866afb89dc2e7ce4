import { randomUUID } from 'node:crypto';
import type { Router, RouterContext } from '@koa/router';
import type { Middleware } from 'koa';
import { Ajv } from 'ajv';
import { isServerAlive } from '../../domain/servers/server-events.js';
import { SERVER_ID_PATTERN } from '../../domain/inventory/inventory-file-schema.js';
import type { HandoverReport } from '../../lab/handover.js';
import { requestIdOf } from '../../logging/request-logging.js';
import { isoUtc } from '../../projections/lab/event-time.js';
import type { DeviceReadModel } from '../../projections/read-models.js';
import type { ServerViews } from '../../projections/servers/server-views.js';
import { httpError } from '../errors.js';
import { pathParam } from '../route-params.js';
import type { RegisterRoutes } from '../routes.js';

/** `POST /labpool/servers/{id}/handover`. */
export const handoverBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['to'],
  properties: {
    to: { type: 'string', pattern: SERVER_ID_PATTERN, description: 'the server (`host:port`) that takes the devices over' },
    force: { type: 'boolean', description: 'hand over even though the server still heartbeats (default false)' },
  },
} as const;

type HandoverBody = { readonly to: string; readonly force?: boolean };

const validateHandoverBody = new Ajv().compile<HandoverBody>(handoverBodySchema);

/** What the servers routes need. */
export interface ServerRoutesDeps {
  readonly serverId: string;
  readonly devices: Pick<DeviceReadModel, 'list'>;
  readonly servers: Pick<ServerViews, 'get' | 'ids'>;
  /** This server's `servers.heartbeatMs`: the interval of a server whose start announced none. */
  readonly heartbeatMs: number;
  readonly nowMs: () => number;
  /** Admin only (with users configured). */
  readonly adminAccess: Middleware;
  handOver(from: string, correlationId: string): Promise<HandoverReport>;
}

/**
 * labpool's servers: `GET /labpool/servers` lists those the log knows (devices' owners, heartbeats);
 * `POST /labpool/servers/{id}/handover` moves a dead server's devices to `to`, run on `to` only (another
 * server answers 307 there). Errors are problem+json.
 */
export function serverRoutes(deps: ServerRoutesDeps): RegisterRoutes {
  return (router: Router) => {
    router.get('/labpool/servers{/}', (ctx) => {
      ctx.body = { servers: listServers(deps) };
    });
    router.post('/labpool/servers/:id/handover{/}', deps.adminAccess, (ctx) => handOver(ctx, deps));
  };
}

function listServers(deps: ServerRoutesDeps) {
  const counts = new Map<string, number>();
  /** Servers devices were handed over from: known though they may own nothing now and never heartbeat. */
  const formerOwners = new Set<string>();
  for (const device of deps.devices.list()) {
    counts.set(device.imagingServer, (counts.get(device.imagingServer) ?? 0) + 1);
    if (device.handedOverFrom !== undefined) formerOwners.add(device.handedOverFrom);
  }
  const ids = [...new Set([...deps.servers.ids(), ...counts.keys(), ...formerOwners])].sort();
  const nowMs = deps.nowMs();
  return ids.map((id) => {
    const life = deps.servers.get(id);
    return {
      id,
      startedAt: life?.startedAtMs == null ? null : isoUtc(life.startedAtMs),
      lastHeartbeat: life === undefined ? null : isoUtc(life.lastHeartbeatMs),
      alive: isServerAlive(life, nowMs, deps.heartbeatMs),
      devices: counts.get(id) ?? 0,
    };
  });
}

async function handOver(ctx: RouterContext, deps: ServerRoutesDeps): Promise<void> {
  const from = pathParam(ctx, 'id');
  const body = handoverBodyOf(ctx.request.body);
  if (body.to === from) throw httpError(400, `to is ${from} itself: hand its devices over to another server`);
  if (body.to !== deps.serverId) return redirectToNewOwner(ctx, body.to);
  if (!isKnownServer(deps, from)) throw httpError(404, `server ${from} is unknown: it owns no device and never heartbeat`);
  const life = deps.servers.get(from);
  if (body.force !== true && isServerAlive(life, deps.nowMs(), deps.heartbeatMs)) {
    throw httpError(409, `server ${from} is alive (last heartbeat ${isoUtc(life!.lastHeartbeatMs)}): stop it first, or send "force": true`, { title: 'Server alive' });
  }
  const report = await deps.handOver(from, requestIdOf(ctx) ?? randomUUID());
  ctx.body = { from: report.from, to: report.to, handedOverAt: isoUtc(report.atMs), devices: report.moved, holders: report.holders, refused: report.refused };
}

function isKnownServer(deps: ServerRoutesDeps, id: string): boolean {
  return deps.servers.get(id) !== undefined || deps.devices.list().some((device) => device.imagingServer === id || device.handedOverFrom === id);
}

/** Only the new owner can arm the devices' deadlines and run their actors: 307 keeps the method and body. */
function redirectToNewOwner(ctx: RouterContext, to: string): void {
  const location = `http://${to}${ctx.path}`;
  ctx.status = 307;
  ctx.set('Location', location);
  ctx.type = 'application/problem+json';
  ctx.body = { type: 'about:blank', title: 'Temporary Redirect', status: 307, detail: `a handover runs on the server that takes the devices over: post the same body to ${location}` };
}

function handoverBodyOf(body: unknown): HandoverBody {
  if (validateHandoverBody(body)) return body;
  const error = validateHandoverBody.errors?.[0];
  const field = error === undefined || error.instancePath === '' ? 'body' : error.instancePath.slice(1);
  if (error?.keyword === 'additionalProperties') throw httpError(400, `${field}.${String(error.params['additionalProperty'])} is not a known field`);
  if (error?.keyword === 'pattern') throw httpError(400, `${field} must be a server id host:port`);
  throw httpError(400, `${field} ${error?.message ?? 'is invalid'}`);
}
