import type { Projection } from '../projection-runner.js';
import type { DeviceReadModel, MozpoolReadModels, RequestReadModel } from '../read-models.js';
import { createDeviceLogs } from './device-logs.js';
import { createDeviceViews } from './device-views.js';
import { createImageViews } from './image-views.js';
import { createPxeConfigViews } from './pxe-config-views.js';
import { createRequestLogs } from '../../dialects/mozpool/projections/request-logs.js';
import { createRequestViews } from '../../dialects/mozpool/projections/request-views.js';

/** The MozPool read models and the projections that fold the global log into them. */
export type MozpoolProjections = {
  readonly readModels: MozpoolReadModels;
  /** Hand these to the projection runner; each filters its own streams. */
  readonly projections: readonly Projection[];
};

export function createMozpoolReadModels(): MozpoolProjections {
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
  const requestViews = createRequestViews(devices);
  const requestLogs = createRequestLogs();
  const requests: RequestReadModel = {
    list: requestViews.list,
    get: requestViews.get,
    maxId: requestViews.maxId,
    log: (id, options) => requestLogs.read(String(id), options),
  };
  const pxeConfigs = createPxeConfigViews();
  const images = createImageViews(pxeConfigs);
  return {
    readModels: { devices, requests, images, pxeConfigs },
    projections: [deviceViews, deviceLogs, requestViews, requestLogs, pxeConfigs, images],
  };
}
