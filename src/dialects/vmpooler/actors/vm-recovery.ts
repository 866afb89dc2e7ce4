import { RETURN_REASONS } from '../domain/vm-holder.js';
import { returnDevice } from './vm-actor.js';
import type { VmpoolerContext } from './vmpooler-context.js';
import { isInRecoveryScope, type RecoveryScope } from '../../../lab/handover.js';

const METADATA = { actor: 'recovery' };

/**
 * A checkout transfers the device to its VM, then records the VM; a delete records it, then gives the
 * device back. A crash between two steps leaves a device held by a VM that is not open. At start,
 * before the deadlines are armed, each such device of this server goes back to its pool: as ready when
 * its VM never opened (the checkout was never answered), to be imaged again when it was deleted.
 * Returns how many it gave back.
 */
export async function recoverVms(ctx: VmpoolerContext, scope?: RecoveryScope): Promise<number> {
  const released = scope === undefined ? 0 : await releasePoolDevices(ctx, scope);
  const stranded = ctx.readModels.devices
    .list()
    .filter((device) => device.imagingServer === ctx.serverId && device.holder?.kind === 'vmpooler_vm' && ctx.pools.vm(device.holder.id) === undefined && isInRecoveryScope(scope, device.name));
  let returned = 0;
  for (const device of stranded) {
    const id = device.holder!.id;
    const pool = ctx.pools.poolOf(device.name);
    if (pool === undefined) continue;
    const { state } = await ctx.kinds.vms.read(id);
    const reason = state.id === null ? RETURN_REASONS.undone : RETURN_REASONS.deleted;
    await returnDevice(ctx, { id, pool, device: device.name }, reason, METADATA);
    returned++;
  }
  return returned + released;
}

/**
 * Devices handed over here that a pool of their old owner held: this server's queues never saw them
 * join, so they are given back, free, for this server's pools to plan again. Returns how many.
 */
async function releasePoolDevices(ctx: VmpoolerContext, scope: ReadonlySet<string>): Promise<number> {
  const held = ctx.readModels.devices.list().filter((device) => scope.has(device.name) && device.holder?.kind === 'vmpooler_pool');
  for (const device of held) {
    const command = { type: 'DetachHolder', holder: device.holder!, reason: 'handed over: planned again by its new server', nowMs: ctx.nowMs() } as const;
    await ctx.kinds.devices.ask(device.name, command, METADATA);
  }
  return held.length;
}
