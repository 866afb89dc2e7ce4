import type { DeviceReadModel, LabDevice } from '../read-models.js';
import { compareNames } from './compare-names.js';
import { createFreeDeviceIndex } from './free-device-index.js';

/** The registered devices with the indexes and cached answers of the device read model. */
export type DeviceTable = Omit<DeviceReadModel, 'log' | 'revision'> & {
  /** Replaces the view of `name`; undefined removes the device (retired). */
  put(name: string, next: LabDevice | undefined): void;
};

/**
 * Every answer is cached until a change makes it wrong: a state change (the common case) rebuilds
 * `list` without re-sorting, because the name order only changes when devices come or go.
 */
export function createDeviceTable(): DeviceTable {
  const views = new Map<string, LabDevice>();
  const freeIndex = createFreeDeviceIndex();
  const environmentCounts = new Map<string, number>();
  let sortedNames: readonly string[] | undefined;
  let list: readonly LabDevice[] | undefined;
  let stateMap: Readonly<Record<string, string>> | undefined;
  let environments: readonly string[] | undefined;

  function countEnvironment(environment: string, delta: 1 | -1): void {
    const count = (environmentCounts.get(environment) ?? 0) + delta;
    if (count > 0) environmentCounts.set(environment, count);
    else environmentCounts.delete(environment);
    environments = undefined;
  }

  function invalidate(previous: LabDevice | undefined, next: LabDevice | undefined): void {
    list = undefined;
    if (previous === undefined || next === undefined) sortedNames = undefined;
    if (previous?.state !== next?.state) stateMap = undefined;
    if (previous?.environment === next?.environment) return;
    if (previous !== undefined) countEnvironment(previous.environment, -1);
    if (next !== undefined) countEnvironment(next.environment, 1);
  }

  function namesInOrder(): readonly string[] {
    return (sortedNames ??= [...views.keys()].sort(compareNames));
  }

  return {
    put(name, next) {
      const previous = views.get(name);
      if (previous === next) return;
      if (next === undefined) views.delete(name);
      else views.set(name, next);
      freeIndex.update(previous, next);
      invalidate(previous, next);
    },
    get: (name) => views.get(name),
    list: () => (list ??= Object.freeze(namesInOrder().map((name) => views.get(name)!))),
    stateMap: () => (stateMap ??= Object.freeze(Object.fromEntries([...views].map(([name, view]) => [name, view.state])))),
    free: (environment) => freeIndex.free(environment),
    environments: () => (environments ??= Object.freeze([...environmentCounts.keys()].sort(compareNames))),
  };
}
