import type { PxeConfigView } from '../projections/read-models.js';

/** A hardware call's outcome: failures are values, never throws, and never a hang (ports time out). */
export type HardwareResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** The device a hardware call is about, with what each port needs of its inventory. */
export type HardwareTarget = {
  readonly device: string;
  readonly fqdn: string;
  readonly macAddress: string;
  /** The device's power address (PDU and outlet). */
  readonly relayInfo: string;
};

export interface PowerPort {
  /** Off, wait, on: the device reboots. */
  cycle(target: HardwareTarget): Promise<HardwareResult>;
  off(target: HardwareTarget): Promise<HardwareResult>;
}

/** Variables substituted into a PXE config besides `%IPADDRESS%`. */
export type PxeVariables = Readonly<Record<string, string>>;

export interface PxePort {
  /** Writes the device's PXE file (`pxelinux.cfg/01-<mac>`) from `config`. */
  write(target: HardwareTarget, config: PxeConfigView, variables: PxeVariables): Promise<HardwareResult>;
  /** Removes the device's PXE file; removing a missing file succeeds. */
  clear(target: HardwareTarget): Promise<HardwareResult>;
}

export interface VerifyPort {
  /** Is the device up: does `tcpPort` on its address accept a connection? */
  check(target: HardwareTarget, tcpPort: number): Promise<HardwareResult>;
}

/** One PDU's answer to a probe, with the devices it powers among those asked about. */
export type PduProbeResult = {
  /** `host:port` of the PDU's SNMP agent, or the relay_info itself when it cannot be parsed. */
  readonly pdu: string;
  readonly devices: readonly string[];
  readonly result: HardwareResult;
};

/** Checks that the site's services answer, changing nothing (Drydock's `verify_site`). */
export interface ProbePort {
  /** One read of an outlet's state per distinct PDU among `targets`: no outlet is switched. */
  pdus(targets: readonly HardwareTarget[]): Promise<readonly PduProbeResult[]>;
  /** Fetches a file this server writes into its TFTP root, over TFTP, and compares what comes back. */
  tftp(): Promise<HardwareResult>;
}

export type LabHardware = {
  readonly power: PowerPort;
  readonly pxe: PxePort;
  readonly verify: VerifyPort;
  /** Absent where the hardware has no way to check itself (test doubles): the site checks then say so. */
  readonly probe?: ProbePort;
};
