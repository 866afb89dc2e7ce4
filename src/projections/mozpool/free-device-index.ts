import type { DeviceView } from '../read-models.js';

/** Free = `ready` with no request attached: the devices a request may lease. */
export function isFreeDevice(view: DeviceView): boolean {
  return view.state === 'ready' && view.request_id === null;
}

/**
 * The free devices, by environment. `free` is called on every lease over a lab of ~10,000 devices, so
 * it answers from an array cached per environment, rebuilt only after a device of that environment
 * became free, stopped being free or changed while free. No sorting: candidates are picked at random.
 */
export interface FreeDeviceIndex {
  /** Re-files a device whose view went from `previous` to `next` (undefined: not registered). */
  update(previous: DeviceView | undefined, next: DeviceView | undefined): void;
  /** Free devices in `environment`; every free device when it is undefined or `any`. */
  free(environment?: string): readonly DeviceView[];
}

export function createFreeDeviceIndex(): FreeDeviceIndex {
  const byEnvironment = new Map<string, Map<string, DeviceView>>();
  const all = new Map<string, DeviceView>();
  const cachedByEnvironment = new Map<string, readonly DeviceView[]>();
  let cachedAll: readonly DeviceView[] | undefined;

  function remove(view: DeviceView): void {
    all.delete(view.name);
    const inEnvironment = byEnvironment.get(view.environment);
    inEnvironment?.delete(view.name);
    if (inEnvironment?.size === 0) byEnvironment.delete(view.environment);
    invalidate(view.environment);
  }

  function add(view: DeviceView): void {
    all.set(view.name, view);
    let inEnvironment = byEnvironment.get(view.environment);
    if (inEnvironment === undefined) byEnvironment.set(view.environment, (inEnvironment = new Map()));
    inEnvironment.set(view.name, view);
    invalidate(view.environment);
  }

  function invalidate(environment: string): void {
    cachedAll = undefined;
    cachedByEnvironment.delete(environment);
  }

  function freeIn(environment: string): readonly DeviceView[] {
    let cached = cachedByEnvironment.get(environment);
    if (cached === undefined) {
      cached = Object.freeze([...(byEnvironment.get(environment)?.values() ?? [])]);
      cachedByEnvironment.set(environment, cached);
    }
    return cached;
  }

  return {
    update(previous, next) {
      if (previous !== undefined && isFreeDevice(previous)) remove(previous);
      if (next !== undefined && isFreeDevice(next)) add(next);
    },
    free(environment) {
      if (environment !== undefined && environment !== 'any') return freeIn(environment);
      return (cachedAll ??= Object.freeze([...all.values()]));
    },
  };
}
