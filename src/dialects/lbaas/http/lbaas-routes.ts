import type { Router, RouterContext } from '@koa/router';
import { httpError } from '../../../http/errors.js';
import { pathParam } from '../../../http/route-params.js';
import { formatLbaasTime, lbaasStatusOf, loadbalancerOf, usageOf, type LbaasDeviceWire } from '../domain/lbaas-device.js';
import type { LbaasRecord, LbaasRegistry } from '../projections/lbaas-registry.js';

/** What the Device API's routes read. */
export type LbaasRouteDeps = { readonly registry: Pick<LbaasRegistry, 'list' | 'byId'> };

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
