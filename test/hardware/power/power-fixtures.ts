import type { HardwareTarget } from '../../../src/lab/hardware-ports.js';
import type { PduModel } from '../../../src/hardware/power/pdu-models.js';
import { createSnmpPower, type SnmpPower, type SnmpPowerOptions } from '../../../src/hardware/power/snmp-power.js';

/**
 * A PDU we do not ship, described entirely in config: control and state are two columns of one
 * table, and the values are nothing like APC's, so a test cannot pass by accident.
 */
export const acmeModel: PduModel = {
  name: 'acme_pdu',
  outletControlOid: '1.3.6.1.4.1.99999.1.2.1.4.{outlet}',
  onValue: 10,
  offValue: 20,
  rebootValue: 30,
  outletStateOid: '1.3.6.1.4.1.99999.1.2.1.3.{outlet}',
  stateOnValue: 5,
  stateOffValue: 6,
};

export const target = (relayInfo: string, device = 'panda-0001'): HardwareTarget => ({ device, fqdn: `${device}.lab`, macAddress: '00:11:22:33:44:55', relayInfo });

const baseOptions = { defaultCommunity: 'private', defaultModel: 'apc_spdu', models: { acme_pdu: acmeModel }, pauseBetweenMs: 5, offOnDelayMs: 50 } as const;

/**
 * For a PDU that answers: one try per exchange and a long timeout, so a slow machine neither
 * retransmits (every exchange in the agent's log is one request) nor gives up on an answer that
 * is merely late. The timeout only bounds a real hang.
 */
export const answeringPowerOptions: SnmpPowerOptions = { ...baseOptions, timeoutMs: 5_000, retries: 0 };

/** For a PDU that never answers: the test waits these out, so an exchange gives up after 2 × 150 ms. */
export const silentPduPowerOptions: SnmpPowerOptions = { ...baseOptions, timeoutMs: 150, retries: 1 };

export function createTestPower(overrides: Partial<SnmpPowerOptions> = {}): SnmpPower {
  return createSnmpPower({ ...answeringPowerOptions, ...overrides });
}

export function createSilentPduPower(overrides: Partial<SnmpPowerOptions> = {}): SnmpPower {
  return createSnmpPower({ ...silentPduPowerOptions, ...overrides });
}

/** Runs `work` and returns its result with how long it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ readonly result: T; readonly ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}
