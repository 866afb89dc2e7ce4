import { DateTime } from 'luxon';
import type { Holder } from '../../../domain/holders/holder.js';

/** A device's status as LBaaS reports it (spec/NOTES.md, "LBaaS"). */
export type LbaasStatus = 'OFFLINE' | 'BUILD' | 'ONLINE' | 'ERROR' | 'DELETED';

/** What the status of a device is computed from: its LifeGuard state, its holder, whether it is retired. */
export type LbaasStatusInput = { readonly state: string; readonly holder: Holder | null; readonly retired: boolean };

/** States in which the device is out of service until an operator or a self-test brings it back. */
function isFailedState(state: string): boolean {
  return state.startsWith('failed_') || state === 'locked_out' || state === 'troubleshooting';
}

/**
 * One truth across the families: a free spare (ready, held by nobody) is `OFFLINE`; a device a holder
 * has and that is up (`ready`) is `ONLINE`; one being imaged, self-tested or taken is `BUILD`.
 */
export function lbaasStatusOf(device: LbaasStatusInput): LbaasStatus {
  if (device.retired) return 'DELETED';
  if (isFailedState(device.state)) return 'ERROR';
  if (device.state !== 'ready') return 'BUILD';
  return device.holder === null ? 'OFFLINE' : 'ONLINE';
}

/** A device as the Device API writes it. */
export type LbaasDeviceWire = {
  readonly id: number;
  readonly updated: string;
  readonly created: string;
  readonly status: LbaasStatus;
  readonly address: string;
  readonly name: string;
  /** 0 when free; else the holder's id, a number where it is one (a MozPool request), else its text. */
  readonly loadbalancer: number | string;
  readonly type: string;
};

/** The document's own time format: `Mon 2012.10.29 at 07:21:48 PM UTC`. */
export function formatLbaasTime(atMs: number): string {
  return DateTime.fromMillis(atMs, { zone: 'utc' }).toFormat("ccc yyyy.LL.dd 'at' hh:mm:ss a 'UTC'");
}

/** Where the holder's id is an integer (a MozPool request), the document's integer; else its text. */
export function loadbalancerOf(holder: Holder | null): number | string {
  if (holder === null) return 0;
  return /^[1-9]\d{0,14}$/.test(holder.id) ? Number(holder.id) : holder.id;
}

/** Usage as the document defines it: `free` counts OFFLINE devices, `taken` is the rest. */
export function usageOf(statuses: readonly LbaasStatus[]): { readonly total: number; readonly free: number; readonly taken: number } {
  const free = statuses.filter((status) => status === 'OFFLINE').length;
  return { total: statuses.length, free, taken: statuses.length - free };
}
