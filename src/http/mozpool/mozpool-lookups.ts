import type { DeviceView, ImageView, PxeConfigView, RequestView } from '../../projections/read-models.js';
import { httpError } from '../errors.js';
import type { MozpoolDeps } from './mozpool-deps.js';
import { parseRequestId } from './mozpool-params.js';

/** The device named `name`, else 404. */
export function findDevice(deps: MozpoolDeps, name: string): DeviceView {
  const device = deps.readModels.devices.get(name);
  if (device === undefined) throw httpError(404, `device ${name} not found`);
  return device;
}

/** The request whose path id is `rawId`: 400 when it is not an integer, 404 when unknown. */
export function findRequest(deps: MozpoolDeps, rawId: string): RequestView {
  const id = parseRequestId(rawId);
  const request = deps.readModels.requests.get(id);
  if (request === undefined) throw httpError(404, `request ${id} not found`);
  return request;
}

/** The image named `name` (hidden ones included), else 404. */
export function findImage(deps: MozpoolDeps, name: string): ImageView {
  const image = deps.readModels.images.get(name);
  if (image === undefined) throw httpError(404, `image ${name} not found`);
  return image;
}

/** The PXE config named `name`, else 404. */
export function findPxeConfig(deps: MozpoolDeps, name: string): PxeConfigView {
  const pxeConfig = deps.readModels.pxeConfigs.get(name);
  if (pxeConfig === undefined) throw httpError(404, `PXE config ${name} not found`);
  return pxeConfig;
}
