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

export type LabHardware = {
  readonly power: PowerPort;
  readonly pxe: PxePort;
  readonly verify: VerifyPort;
};
