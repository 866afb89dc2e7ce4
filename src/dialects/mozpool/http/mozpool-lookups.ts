import { isLifeGuardState, lifeGuardStates } from '../../../domain/device/lifeguard-states.js';
import type { LabDevice, LabImage, PxeConfigView } from '../../../projections/read-models.js';
import type { RequestView } from '../projections/mozpool-read-models.js';
import { httpError } from '../../../http/errors.js';
import type { MozpoolDeps } from './mozpool-deps.js';
import { parseRequestId } from './mozpool-params.js';

/** The device named `name`, else 404. */
export function findDevice(deps: MozpoolDeps, name: string): LabDevice {
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
export function findImage(deps: MozpoolDeps, name: string): LabImage {
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

/**
 * `state` when the LifeGuard machine has it for the catalogue's images (hidden ones included), else
 * 400 listing the states it has. The state forced away from is not checked: a device left in a
 * state outside the machine must still be forced back.
 */
export function requireLifeGuardState(deps: MozpoolDeps, state: string): string {
  const { images } = deps.readModels;
  if (isLifeGuardState(state, (image) => images.get(image) !== undefined)) return state;
  const valid = lifeGuardStates(images.list(true).map((image) => image.name));
  throw httpError(400, `${state} is not a LifeGuard state; valid states: ${valid.join(', ')}`);
}

/** `environment` when it is `any` or some device's environment, else 404. */
export function requireKnownEnvironment(deps: MozpoolDeps, environment: string): string {
  if (environment === 'any' || deps.readModels.devices.environments().includes(environment)) return environment;
  throw httpError(404, `environment ${environment} not found`);
}
