import type { Router, RouterContext } from '@koa/router';
import { AUDIT_KINDS } from '../../dialects/dialects.js';
import { deviceAudit, type AuditKind } from '../../projections/audit/audit-kinds.js';
import { parseAuditQuery } from '../../projections/audit/audit-query.js';
import { queryAudit, type AuditAnswer } from '../../projections/audit/audit-replay.js';
import { queryBoots } from '../../projections/audit/boot-replay.js';
import type { EventStore } from '../../store/port.js';
import { httpError } from '../errors.js';
import { pathParam, queryValue } from '../route-params.js';

/**
 * `GET /api/device/{id}/boots/`: the device's boots (imaging, power cycles, self-tests, maintenance)
 * with their stages, power cycles, device reports and outcome, folded from the device's stream.
 *
 * `GET /api/device/{id}/history/` and `GET /api/request/{id}/history/`: the stream's events
 * (`?from=&to=`), or its state at an instant (`?at=`), replayed from the store through the domain's
 * evolve rather than read from a projection, so an audit does not trust the read models it audits.
 * Under `/api/`, errors take MozPool's `{"error": "..."}` shape.
 */
export function registerHistoryRoutes(router: Router, store: EventStore): void {
  for (const kind of AUDIT_KINDS.values()) {
    router.get(`/api/${kind.category}/:id/history{/}`, async (ctx) => {
      ctx.body = await answerHistory(ctx, store, kind);
    });
  }
  router.get('/api/device/:id/boots{/}', async (ctx) => {
    const device = pathParam(ctx, 'id');
    if (deviceAudit.parseId(device) === undefined) throw httpError(400, deviceAudit.describeBadId(device));
    const answer = await queryBoots(store, device);
    if (answer === undefined) throw httpError(404, `device ${device} not found`);
    ctx.body = answer;
  });
}

async function answerHistory(ctx: RouterContext, store: EventStore, kind: AuditKind): Promise<AuditAnswer> {
  const raw = pathParam(ctx, 'id');
  const id = kind.parseId(raw);
  if (id === undefined) throw httpError(400, kind.describeBadId(raw));
  const parsed = parseAuditQuery({ at: queryValue(ctx, 'at'), from: queryValue(ctx, 'from'), to: queryValue(ctx, 'to') });
  if (!parsed.ok) throw httpError(400, parsed.message);
  const answer = await queryAudit(store, kind, id, parsed.query);
  if (answer === undefined) throw httpError(404, `${kind.category} ${id} not found`);
  return answer;
}
