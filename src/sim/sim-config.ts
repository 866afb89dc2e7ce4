import type { LabpoolConfig } from '../config/config.js';
import type { SimLabConfig } from './sim-lab.js';

/**
 * The simulated lab a labpool configuration describes (`sim.*`): two PDUs, an APC and a ServerTech,
 * sharing the devices; the devices boot from the TFTP server at `tftp`. The server that runs it in
 * process and `labpool sim` (its own process) read the same settings, so both see one lab.
 */
export function simLabConfigOf(config: LabpoolConfig, tftp: { readonly host: string; readonly port: number }, installedImages: Readonly<Record<string, string>> = {}): SimLabConfig {
  const [apcPort, sentryPort] = config.sim.pduPorts;
  const half = Math.ceil(config.sim.devices / 2);
  return {
    serverId: config.serverId,
    tftp,
    pdus: [
      { name: 'pdu1', model: 'apc_spdu', port: apcPort ?? 16161, outlets: half, relayForm: 'short' },
      { name: 'pdu2', model: 'servertech_sentry', port: sentryPort ?? 16162, outlets: config.sim.devices - half, relayForm: 'url' },
    ],
    devices: config.sim.devices,
    stepDelayMs: config.sim.stepDelayMs,
    faults: config.sim.faults,
    installedImages,
    ...(config.sim.addressPrefix === undefined ? {} : { addressPrefix: config.sim.addressPrefix }),
    ...(config.sim.namePrefix === undefined ? {} : { namePrefix: config.sim.namePrefix }),
  };
}
