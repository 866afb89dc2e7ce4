import { mkdirSync } from 'node:fs';
import type { LabpoolConfig } from '../config/config.js';
import type { LabHardware } from '../lab/hardware-ports.js';
import { createPxeWriter } from './pxe/pxe-writer.js';
import { createSnmpPower } from './power/snmp-power.js';
import { startTftpServer } from './tftp/tftp-server.js';
import { createTcpVerify } from './verify/tcp-verify.js';
import { createTftpProbe } from './tftp/tftp-probe.js';

/** Loopback answers in well under a millisecond; a second before the one retransmission is patient. */
const TFTP_PROBE_RETRY_MS = 1_000;

/** The real hardware of a server: SNMP PDUs, PXE files served by its TFTP server, TCP verify. */
export type RunningHardware = {
  readonly hardware: LabHardware;
  readonly tftp: { readonly host: string; readonly port: number };
  stop(): Promise<void>;
};

export async function startHardware(config: LabpoolConfig['hardware']): Promise<RunningHardware> {
  mkdirSync(config.tftp.root, { recursive: true });
  const tftp = await startTftpServer(config.tftp);
  const power = createSnmpPower(config.power);
  const hardware: LabHardware = {
    power,
    pxe: createPxeWriter({ tftpRoot: config.tftp.root, serverAddress: config.pxe.serverAddress }),
    verify: createTcpVerify({ timeoutMs: config.verify.timeoutMs }),
    probe: { pdus: power.probe, tftp: createTftpProbe({ host: tftp.host, port: tftp.port, root: config.tftp.root, timeoutMs: TFTP_PROBE_RETRY_MS }) },
  };
  return {
    hardware,
    tftp: { host: tftp.host, port: tftp.port },
    async stop() {
      await power.stop();
      await tftp.stop();
    },
  };
}
