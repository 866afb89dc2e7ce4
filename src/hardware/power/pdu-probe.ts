import type { HardwareResult, HardwareTarget, PduProbeResult } from '../../lab/hardware-ports.js';
import type { PowerAddress, RelayInfoResult } from './relay-info.js';

/** What probing needs of power control: where a device's outlet is, and one read of its state. */
export type PduProbeDeps = {
  readonly locate: (target: HardwareTarget) => RelayInfoResult;
  /** Reads the outlet's state; ok only for the model's on or off value. Never throws. */
  readonly readState: (address: PowerAddress) => Promise<HardwareResult>;
};

type Group = { readonly pdu: string; readonly devices: string[]; readonly first?: PowerAddress; readonly error?: string };

/**
 * One state read per distinct PDU (on the outlet of the first device it powers), the PDUs probed side
 * by side: a lab of a thousand devices on forty PDUs costs forty reads. A relay_info that cannot be
 * parsed is a failed result of its own.
 */
export async function probePdus(targets: readonly HardwareTarget[], deps: PduProbeDeps): Promise<readonly PduProbeResult[]> {
  const groups = new Map<string, Group>();
  for (const target of targets) {
    const located = deps.locate(target);
    const key = located.ok ? `${located.address.host}:${located.address.port}` : target.relayInfo;
    const group = groups.get(key) ?? (located.ok ? { pdu: key, devices: [], first: located.address } : { pdu: key, devices: [], error: located.error });
    group.devices.push(target.device);
    groups.set(key, group);
  }
  return Promise.all(
    [...groups.values()].map(async (group): Promise<PduProbeResult> => {
      const result = group.first === undefined ? { ok: false as const, error: group.error ?? 'no power address' } : await deps.readState(group.first);
      return { pdu: group.pdu, devices: group.devices, result };
    }),
  );
}
