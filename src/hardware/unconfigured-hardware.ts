import type { HardwareResult, LabHardware } from '../lab/hardware-ports.js';

const unavailable = (what: string) => async (): Promise<HardwareResult> => ({ ok: false, error: `no ${what} is configured on this server` });

/**
 * Hardware for a server given none: every call fails with a clear reason, so devices move to their
 * retry and failed states as they would with a dead PDU, instead of hanging.
 */
export const unconfiguredHardware: LabHardware = {
  power: { cycle: unavailable('power control'), off: unavailable('power control') },
  pxe: { write: unavailable('TFTP root'), clear: unavailable('TFTP root') },
  verify: { check: unavailable('device verification') },
  probe: {
    pdus: async (targets) => (targets.length === 0 ? [] : [{ pdu: 'none', devices: targets.map((target) => target.device), result: await unavailable('power control')() }]),
    tftp: unavailable('TFTP server'),
  },
};
