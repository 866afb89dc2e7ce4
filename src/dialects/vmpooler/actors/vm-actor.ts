import type { ActorDefinition, Reaction } from '../../../actors/persistent-actor.js';
import { reactionMetadata, runDetached } from '../../../lab/lab-context.js';
import type { EventMetadata } from '../../../store/port.js';
import { vmDecider, type VmState } from '../domain/vm-decider.js';
import type { VmCommand, VmEvent } from '../domain/vm-events.js';
import { RETURN_REASONS, poolHolder, vmHolder } from '../domain/vm-holder.js';
import type { VmpoolerContext } from './vmpooler-context.js';

/** One checkout (stream `vm-<id>`): deleted by its user or at expiry, it gives its device back to its pool. */
export function createVmActor(ctx: VmpoolerContext): ActorDefinition<VmCommand, VmEvent, VmState> {
  return { category: 'vm', decider: vmDecider, react: (reaction) => reactToVm(ctx, reaction) };
}

function reactToVm(ctx: VmpoolerContext, { id, events, state, metadata }: Reaction<VmEvent, VmState>): void {
  const deleted = events.find((event) => event.type === 'VmDeleted');
  if (deleted === undefined) return;
  runDetached(ctx, `vm ${id} return`, () => returnDevice(ctx, state, deleted.data.reason === 'expired' ? RETURN_REASONS.expired : RETURN_REASONS.deleted, reactionMetadata('vmpooler', metadata)));
}

/**
 * Hands the device of a deleted VM back to its pool, to be imaged again. Idempotent: when the VM no
 * longer holds the device (a second run, after a crash), the transfer is refused and changes nothing.
 */
export async function returnDevice(ctx: VmpoolerContext, vm: Pick<VmState, 'id' | 'pool' | 'device'>, reason: string, cause: EventMetadata): Promise<void> {
  if (vm.id === null) return;
  const command = { type: 'TransferHolder', from: vmHolder(vm.id), to: poolHolder(vm.pool), reason, nowMs: ctx.nowMs() } as const;
  await ctx.kinds.devices.ask(vm.device, command, cause);
}
