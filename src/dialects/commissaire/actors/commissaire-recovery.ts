import type { EventMetadata } from '../../../store/port.js';
import { nextHost } from '../domain/operation-decider.js';
import type { CommissaireContext } from './commissaire-context.js';
import { isInRecoveryScope, type RecoveryScope } from '../../../lab/handover.js';
import { releaseDevice } from './host-commands.js';
import { bootstrapHost, investigateHost } from './host-work.js';
import { startNextHost } from './operation-work.js';

/** What the recovery at start carried on or put right, for the start log. */
export type CommissaireRecovery = { readonly hosts: number; readonly operations: number; readonly released: number };

const RECOVERY: EventMetadata = { actor: 'commissaire' };

/** Whether this server runs the device's actor (only then does it carry on work on it), and it is in `scope`. */
function isHere(ctx: CommissaireContext, device: string | undefined, scope: RecoveryScope): boolean {
  return device !== undefined && ctx.readModels.devices.get(device)?.imagingServer === ctx.serverId && isInRecoveryScope(scope, device);
}

/**
 * Carries on what a stop cut short, for this server's devices: investigations and bootstraps, the
 * operations whose next host is here (its work is redone or waited for), and gives back devices
 * held for a host that a crash deleted before it could release them. Each step is idempotent.
 */
export async function recoverCommissaire(ctx: CommissaireContext, scope?: RecoveryScope): Promise<CommissaireRecovery> {
  let hosts = 0;
  for (const host of ctx.views.hosts()) {
    if (!isHere(ctx, host.device, scope)) continue;
    if (host.status === 'investigating') await investigateHost(ctx, host.address, RECOVERY);
    else if (host.status === 'bootstrapping') await bootstrapHost(ctx, host, RECOVERY);
    else continue;
    hosts++;
  }
  let operations = 0;
  for (const operation of ctx.views.openOperations()) {
    const host = nextHost(operation);
    if (host === undefined || !isHere(ctx, ctx.views.host(host)?.device, scope)) continue;
    await startNextHost(ctx, operation, RECOVERY);
    operations++;
  }
  let released = 0;
  for (const device of ctx.readModels.devices.list()) {
    const holder = device.holder;
    if (holder?.kind !== 'commissaire_cluster' || !isHere(ctx, device.name, scope)) continue;
    if (ctx.views.host(holder.id)?.device === device.name) continue;
    await releaseDevice(ctx, device.name, holder.id, 'its Commissaire host is gone');
    released++;
  }
  return { hosts, operations, released };
}
