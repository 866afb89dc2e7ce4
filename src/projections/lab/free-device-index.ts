import type { LabDevice } from '../read-models.js';

/** Free = `ready` with no request attached: the devices a request may lease. */
export function isFreeDevice(view: LabDevice): boolean {
  return view.state === 'ready' && view.holder === null;
}

/**
 * The free devices, by environment. A lease asks for them every time, and in a busy lab the free set
 * changes between any two leases: each set is kept as an array updated in place (a device leaving
 * swaps the last one into its slot), so no call copies it.
 */
export interface FreeDeviceIndex {
  /** Re-files a device whose view went from `previous` to `next` (undefined: not registered). */
  update(previous: LabDevice | undefined, next: LabDevice | undefined): void;
  /**
   * Free devices in `environment`; every free device when it is undefined or `any`. In no order, and
   * live: read it at once, the next event applied changes it.
   */
  free(environment?: string): readonly LabDevice[];
}

export function createFreeDeviceIndex(): FreeDeviceIndex {
  const byEnvironment = new Map<string, FreeList>();
  const all = new FreeList();

  return {
    update(previous, next) {
      if (previous !== undefined && isFreeDevice(previous)) {
        all.delete(previous.name);
        const inEnvironment = byEnvironment.get(previous.environment);
        inEnvironment?.delete(previous.name);
        if (inEnvironment?.items.length === 0) byEnvironment.delete(previous.environment);
      }
      if (next !== undefined && isFreeDevice(next)) {
        all.set(next);
        let inEnvironment = byEnvironment.get(next.environment);
        if (inEnvironment === undefined) byEnvironment.set(next.environment, (inEnvironment = new FreeList()));
        inEnvironment.set(next);
      }
    },
    free(environment) {
      if (environment === undefined || environment === 'any') return all.items;
      return byEnvironment.get(environment)?.items ?? NONE;
    },
  };
}

const NONE: readonly LabDevice[] = Object.freeze([]);

/** Views by name in an array without holes: removal moves the last view into the freed slot. */
class FreeList {
  readonly items: LabDevice[] = [];
  private readonly slots = new Map<string, number>();

  set(view: LabDevice): void {
    const slot = this.slots.get(view.name);
    if (slot !== undefined) this.items[slot] = view;
    else this.slots.set(view.name, this.items.push(view) - 1);
  }

  delete(name: string): void {
    const slot = this.slots.get(name);
    if (slot === undefined) return;
    this.slots.delete(name);
    const last = this.items.pop()!;
    if (slot < this.items.length) {
      this.items[slot] = last;
      this.slots.set(last.name, slot);
    }
  }
}
