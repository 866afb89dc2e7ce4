import type { Router, RouterContext } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import { pathParam } from '../../../http/route-params.js';
import { formatLbaasTime, lbaasStatusOf, loadbalancerOf, usageOf, type LbaasDeviceWire } from '../domain/lbaas-device.js';
import type { LbaasRecord, LbaasRegistry } from '../projections/lbaas-registry.js';
import type { LbaasCommands } from '../actors/lbaas-commands.js';
import { checkLbaasBody, type LbaasDeviceFields } from './lbaas-body.js';

/** What the Device API's routes read. */
export type LbaasRouteDeps = { readonly registry: Pick<LbaasRegistry, 'list' | 'byId'> };

/** What the write routes also need. */
export type LbaasWriteDeps = LbaasRouteDeps & { readonly commands: LbaasCommands };

/** The base of every Device API path. */
export const LBAAS_DEVICES_PATH = '/v1/devices';

/** A record in the document's shape. */
export function toLbaasWire(record: LbaasRecord): LbaasDeviceWire {
  return {
    id: record.inventoryId,
    updated: formatLbaasTime(record.updatedAtMs),
    created: formatLbaasTime(record.createdAtMs),
    status: lbaasStatusOf(record),
    address: record.address,
    name: record.name,
    loadbalancer: loadbalancerOf(record.holder),
    type: record.hardwareType,
  };
}

/** An id is a positive integer as the document writes it; anything else names no device. */
function recordOf(ctx: RouterContext, registry: LbaasRouteDeps['registry']): LbaasRecord {
  const raw = pathParam(ctx, 'id');
  const record = /^[1-9]\d{0,14}$/.test(raw) ? registry.byId(Number(raw)) : undefined;
  if (record === undefined) throw httpError(404, `device id ${raw} not found`);
  return record;
}

/** The read routes: list, usage, one device. `usage` comes before `{id}`, which would take it. */
export function registerLbaasReadRoutes(router: Router, { registry }: LbaasRouteDeps): void {
  router.get(LBAAS_DEVICES_PATH, (ctx) => {
    ctx.body = { devices: registry.list().map(toLbaasWire) };
  });
  router.get(`${LBAAS_DEVICES_PATH}/usage`, (ctx) => {
    ctx.body = usageOf(registry.list().map(lbaasStatusOf));
  });
  router.get(`${LBAAS_DEVICES_PATH}/:id`, (ctx) => {
    ctx.body = toLbaasWire(recordOf(ctx, registry));
  });
}

function fieldsOf(body: unknown, required: boolean): LbaasDeviceFields {
  const checked = checkLbaasBody(body, required);
  if (!checked.ok) throw httpError(400, checked.details);
  return checked.fields;
}

/** Create (200, not 201: Libra's client takes only 200), update and delete (204). */
export function registerLbaasWriteRoutes(router: Router, { registry, commands }: LbaasWriteDeps): void {
  router.post(LBAAS_DEVICES_PATH, async (ctx) => {
    const { name = '', address = '' } = fieldsOf(ctx.request.body, true);
    ctx.body = toLbaasWire(await commands.create({ name, address }));
  });
  router.put(`${LBAAS_DEVICES_PATH}/:id`, async (ctx) => {
    const record = recordOf(ctx, registry);
    ctx.body = toLbaasWire(await commands.update(record, fieldsOf(ctx.request.body, false)));
  });
  router.delete(`${LBAAS_DEVICES_PATH}/:id`, async (ctx) => {
    await commands.remove(recordOf(ctx, registry));
    ctx.status = 204;
  });
}
