import type { Holder } from '../../../domain/holders/holder.js';

/** The holder of a pool's devices that are not checked out. */
export function poolHolder(pool: string): Holder {
  return { kind: 'vmpooler_pool', id: pool };
}

/** The holder of a checked-out device: its VM (one checkout; ids are never reused). */
export function vmHolder(vmId: string): Holder {
  return { kind: 'vmpooler_vm', id: vmId };
}

/**
 * Why a device went back from a VM to its pool, as the transfer records it: the pool's queues read
 * it. A checkout undone (a shortage in an all-or-nothing checkout, or a crash before the VM was
 * recorded) never reached its user, so the device is ready at once; a deleted or expired VM was used
 * and is imaged again.
 */
export const RETURN_REASONS = {
  undone: 'checkout undone',
  deleted: 'vm deleted',
  expired: 'vm expired',
} as const;

export type ReturnReason = (typeof RETURN_REASONS)[keyof typeof RETURN_REASONS];

export function isUsedReturn(reason: string): boolean {
  return reason !== RETURN_REASONS.undone;
}

/** vmpooler's host names: 15 characters [a-z0-9]; labpool uses the same alphabet for VM ids. */
export const VM_ID_PATTERN = /^[a-z0-9]{15}$/;
