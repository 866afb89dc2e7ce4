import type { InventoryFile } from './inventory-file.js';

/** The devices labpool knows now. */
export type CurrentInventory = {
  readonly deviceNames: readonly string[];
};

export type InventorySyncOptions = {
  /** Retire however many devices the file dropped, past the safety threshold. */
  readonly force: boolean;
};

export type InventorySyncPlan =
  | { readonly ok: true; readonly retire: readonly string[] }
  | {
      readonly ok: false;
      readonly message: string;
      /** What the sync would have retired, sorted by name. */
      readonly retire: readonly string[];
      /** How many devices labpool knows now. */
      readonly knownDevices: number;
    };

/** Retiring up to this many devices is always allowed; above it, up to 10% of the lab. */
export const ALWAYS_RETIRABLE_DEVICES = 5;

/**
 * Which devices to retire so the lab matches `desired`: those it no longer lists, sorted by name.
 * A file that drops more than max(5, 10%) of the lab is far more likely truncated or the wrong file
 * than a real decommissioning, so it is refused unless forced. Registrations and updates need no plan:
 * the device actors' upserts are idempotent.
 */
export function planInventorySync(current: CurrentInventory, desired: InventoryFile, options: InventorySyncOptions): InventorySyncPlan {
  const wanted = new Set(desired.devices.map((device) => device.name));
  const known = [...new Set(current.deviceNames)];
  const retire = known.filter((name) => !wanted.has(name)).sort();
  if (options.force || !isTooMany(retire.length, known.length)) return { ok: true, retire };
  const shown = retire.slice(0, 10).join(', ') + (retire.length > 10 ? ', …' : '');
  return {
    ok: false,
    retire,
    knownDevices: known.length,
    message: `refusing to retire ${retire.length} of ${known.length} devices (more than ${ALWAYS_RETIRABLE_DEVICES} and more than 10%): ` + `${shown}; check the inventory file, or force the sync`,
  };
}

/** `count > max(5, 10% of total)`, in integers so that 10% of 70 is exactly 7. */
function isTooMany(count: number, total: number): boolean {
  return count > ALWAYS_RETIRABLE_DEVICES && count * 10 > total;
}
