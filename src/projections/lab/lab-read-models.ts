import type { Projection } from '../projection-runner.js';
import type { DeviceFactsReadModel, DeviceReadModel, LabReadModels } from '../read-models.js';
import { createDeviceFacts } from './device-facts.js';
import { createDeviceLogs } from './device-logs.js';
import { createDeviceViews } from './device-views.js';
import { createImageViews } from './image-views.js';
import { createPxeConfigViews } from './pxe-config-views.js';

/** The lab's read models and the projections that fold the global log into them. */
export type LabProjections = {
  readonly readModels: LabReadModels;
  /** Hand these to the projection runner; each filters its own streams. */
  readonly projections: readonly Projection[];
};

export function createLabReadModels(): LabProjections {
  const deviceViews = createDeviceViews();
  const deviceLogs = createDeviceLogs();
  const devices: DeviceReadModel = {
    list: deviceViews.list,
    get: deviceViews.get,
    stateMap: deviceViews.stateMap,
    free: deviceViews.free,
    environments: deviceViews.environments,
    revision: deviceViews.revision,
    log: (name, options) => deviceLogs.read(name, options),
  };
  const pxeConfigs = createPxeConfigViews();
  const images = createImageViews(pxeConfigs);
  const deviceFacts = createDeviceFacts();
  const facts: DeviceFactsReadModel = deviceFacts;
  return {
    readModels: { devices, images, pxeConfigs, facts },
    projections: [deviceViews, deviceLogs, pxeConfigs, images, deviceFacts],
  };
}
