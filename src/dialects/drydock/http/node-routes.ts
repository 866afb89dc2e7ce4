import type { Router } from '@koa/router';
import { summarizeHardwareFacts } from '../../../domain/device/hardware-facts.js';
import { httpError } from '../../../http/errors.js';
import type { LabDevice } from '../../../projections/read-models.js';
import type { DrydockLab } from '../actors/drydock-lab.js';
import type { BuildDataRecord } from '../projections/build-data.js';
import { DRYDOCK_PREFIX } from './base-routes.js';
import type { DrydockAccess } from './drydock-auth.js';
import { toDrydockNode, type NodeHardware } from './drydock-nodes.js';

/** The hardware a node's newest JSON report tells; undefined when it sent none (or none readable). */
function hardwareOf(records: readonly BuildDataRecord[]): NodeHardware | undefined {
  const newest = records.filter((record) => record.data_format === 'application/json').at(-1);
  if (newest === undefined) return undefined;
  try {
    const facts: unknown = JSON.parse(newest.data_element);
    if (typeof facts !== 'object' || facts === null) return undefined;
    const summary = summarizeHardwareFacts(facts as Parameters<typeof summarizeHardwareFacts>[0]);
    return { cpuCount: summary.cpus, memoryKb: summary.memoryKb };
  } catch {
    return undefined;
  }
}

/** `GET /nodes` from the lab's read model, `GET /nodes/{hostname}/builddata[?latest=true]`. */
export function registerNodeRoutes(router: Router, lab: DrydockLab, access: DrydockAccess): void {
  router.get(`${DRYDOCK_PREFIX}/nodes{/}`, access.read, (ctx) => {
    ctx.body = lab.readModels.devices.list().map((device: LabDevice) => {
      const action = lab.tasks.activeNodeTask(device.name)?.action ?? null;
      return toDrydockNode(device, hardwareOf(lab.buildData.forNode(device.name, true)), action);
    });
  });
  router.get(`${DRYDOCK_PREFIX}/nodes/:hostname/builddata{/}`, access.read, (ctx) => {
    const latest = String(ctx.query.latest ?? 'false').toUpperCase() === 'TRUE';
    const records = lab.buildData.forNode(ctx.params['hostname'] ?? '', latest);
    if (records.length === 0) throw httpError(404, 'No build data found');
    ctx.body = records;
  });
}
