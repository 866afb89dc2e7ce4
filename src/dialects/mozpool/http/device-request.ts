import type { Router, RouterContext } from '@koa/router';
import type { RequestDeviceInput } from '../actors/lab-commands.js';
import type { LabImage } from '../../../projections/read-models.js';
import { httpError } from '../../../http/errors.js';
import { createCommandMetadata, unwrapLabResult } from './lab-calls.js';
import type { MozpoolDeps } from './mozpool-deps.js';
import { findDevice, findImage, requireKnownEnvironment } from './mozpool-lookups.js';
import { pathParam } from './mozpool-params.js';
import { requestDurationSchema } from './mozpool-schemas.js';
import type { DeviceRequestBody } from './mozpool-schemas.js';
import { toRequestInfo } from './mozpool-shapes.js';
import { toDurationS, validateDeviceRequestBody } from './validate-body.js';

/** The value of every boot_config_key of `image` taken from the body; 400 when one is missing. */
function pickBootConfig(body: DeviceRequestBody, image: LabImage): Record<string, unknown> {
  const bootConfig: Record<string, unknown> = {};
  for (const key of image.bootConfigKeys) {
    if (!Object.hasOwn(body, key)) throw httpError(400, `body must have required property '${key}' (a boot config key of image ${image.name})`);
    bootConfig[key] = body[key];
  }
  return bootConfig;
}

/** Hidden images (self-test, maintenance) are LifeGuard's own: clients cannot request them. */
function findRequestableImage(deps: MozpoolDeps, name: string): LabImage {
  const image = findImage(deps, name);
  if (image.hidden) throw httpError(404, `image ${name} not found`);
  return image;
}

/** Reads and checks the call: 404 for an unknown device, 400 for a bad body, 404 for an unknown image or environment. */
function readDeviceRequest(ctx: RouterContext, deps: MozpoolDeps): RequestDeviceInput {
  const device = pathParam(ctx, 'id');
  if (device !== 'any') findDevice(deps, device);
  const body = validateDeviceRequestBody(ctx.request.body);
  const image = findRequestableImage(deps, body.image);
  return {
    device,
    // The schema requires one of the two.
    assignee: body.assignee ?? body.requester ?? '',
    durationS: toDurationS(body.duration, requestDurationSchema),
    image: image.name,
    environment: requireKnownEnvironment(deps, body.environment ?? 'any'),
    bootConfig: pickBootConfig(body, image),
  };
}

/**
 * `POST /api/device/{name|any}/request/`: any server may create a request (it then owns it). The
 * answer is built from the read model, which the lab has brought up to date before resolving.
 */
export function registerDeviceRequestRoute(router: Router, deps: MozpoolDeps): void {
  router.post('/api/device/:id/request{/}', async (ctx) => {
    const input = readDeviceRequest(ctx, deps);
    const result = await deps.lab.requestDevice(input, createCommandMetadata(deps, ctx, input.assignee));
    const { requestId } = unwrapLabResult(result);
    const request = deps.readModels.requests.get(requestId);
    if (request === undefined) throw new Error(`request ${requestId} was created but is missing from the read model`);
    ctx.body = { request: toRequestInfo(request, deps.serverId) };
  });
}
