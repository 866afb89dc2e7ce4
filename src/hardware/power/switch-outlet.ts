import type { HardwareResult } from '../../lab/hardware-ports.js';
import type { PduActor } from './pdu-actor.js';
import { outletOid, type PduModel } from './pdu-models.js';
import type { PowerAddress } from './relay-info.js';

/** What one power operation on one outlet works with. */
export type OutletOperation = {
  readonly address: PowerAddress;
  /** The actor of the outlet's PDU: every exchange goes through its mailbox. */
  readonly actor: PduActor;
  /** Reads of the state after a switch before calling it a mismatch (1 = read once). */
  readonly readBackAttempts: number;
  /** Between off and on in a cycle. */
  readonly offOnDelayMs: number;
  /** True once the operation's deadline has passed: its queued exchanges are skipped. */
  readonly isAbandoned: () => boolean;
  /** A wait that ends early when power control stops. */
  readonly wait: (ms: number) => Promise<void>;
};

/** Off, read back (must be off), wait, on, read back (must be on). */
export async function cycleOutlet(operation: OutletOperation): Promise<HardwareResult> {
  const off = await switchOutlet(operation, false);
  if (!off.ok) return off;
  await operation.wait(operation.offOnDelayMs);
  if (operation.isAbandoned()) return { ok: false, error: 'abandoned: the operation ran out of time' };
  return switchOutlet(operation, true);
}

/** Writes the model's on or off value to the outlet's control OID, then reads the state back. */
export async function switchOutlet(operation: OutletOperation, on: boolean): Promise<HardwareResult> {
  const { address, actor, isAbandoned } = operation;
  const value = on ? address.model.onValue : address.model.offValue;
  const oid = outletOid(address.model.outletControlOid, address.outlet);
  const set = await actor.exchange({ kind: 'set', oid, value }, address.community, isAbandoned);
  if (!set.ok) return { ok: false, error: `SET ${word(on)} (${oid} = ${value}) failed: ${set.error}` };
  return readBack(operation, on);
}

async function readBack(operation: OutletOperation, on: boolean): Promise<HardwareResult> {
  const { address, actor, isAbandoned } = operation;
  const model = address.model;
  const expected = on ? model.stateOnValue : model.stateOffValue;
  const oid = outletOid(model.outletStateOid, address.outlet);
  let last = NaN;
  for (let attempt = 1; attempt <= operation.readBackAttempts; attempt += 1) {
    const read = await actor.exchange({ kind: 'get', oid }, address.community, isAbandoned);
    if (!read.ok) return { ok: false, error: `reading the state back after switching ${word(on)} (GET ${oid}) failed: ${read.error}` };
    if (read.value === expected) return { ok: true };
    last = read.value;
  }
  const tries = operation.readBackAttempts === 1 ? '' : ` (${operation.readBackAttempts} reads)`;
  return { ok: false, error: `read-back mismatch after switching ${word(on)}: GET ${oid} = ${describeState(model, last)}, expected ${expected} (${word(on)})${tries}: the outlet did not switch` };
}

/** One read of the outlet's state: ok when the PDU answers with the model's on or off value. */
export async function readOutletState(address: PowerAddress, actor: PduActor, isAbandoned: () => boolean): Promise<HardwareResult> {
  const oid = outletOid(address.model.outletStateOid, address.outlet);
  const read = await actor.exchange({ kind: 'get', oid }, address.community, isAbandoned);
  if (!read.ok) return { ok: false, error: `GET ${oid} failed: ${read.error}` };
  if (read.value === address.model.stateOnValue || read.value === address.model.stateOffValue) return { ok: true };
  return { ok: false, error: `GET ${oid} = ${describeState(address.model, read.value)}: not a state of model ${address.model.name}` };
}

function describeState(model: PduModel, value: number): string {
  if (value === model.stateOnValue) return `${value} (on)`;
  if (value === model.stateOffValue) return `${value} (off)`;
  return `${value} (neither on nor off)`;
}

const word = (on: boolean) => (on ? 'on' : 'off');
