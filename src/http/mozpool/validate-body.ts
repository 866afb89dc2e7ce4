import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import { httpError } from '../errors.js';
import {
  bootBodySchema,
  deviceRequestBodySchema,
  MAX_DURATION_S,
  powerCycleBodySchema,
  renewBodySchema,
  setCommentsBodySchema,
  setEnvironmentBodySchema,
  setStateBodySchema,
} from './mozpool-schemas.js';
import type {
  BootBody,
  DeviceRequestBody,
  PowerCycleBody,
  RenewBody,
  SetCommentsBody,
  SetEnvironmentBody,
  SetStateBody,
} from './mozpool-schemas.js';

/** Returns the body typed when it matches its schema; otherwise throws a 400 naming the first problem. */
export type BodyValidator<Body> = (body: unknown) => Body;

const ajv = new Ajv();

/** `duration must be integer`, `body must have required property 'image'`. */
function describeError(error: ErrorObject | undefined): string {
  if (error === undefined) return 'body is invalid';
  const field = error.instancePath === '' ? 'body' : error.instancePath.slice(1).replaceAll('/', '.');
  return `${field} ${error.message ?? 'is invalid'}`;
}

function createBodyValidator<Body>(schema: object): BodyValidator<Body> {
  const validate = ajv.compile<Body>(schema);
  return (body) => {
    if (validate(body)) return body;
    throw httpError(400, describeError(validate.errors?.[0]));
  };
}

export const validateDeviceRequestBody = createBodyValidator<DeviceRequestBody>(deviceRequestBodySchema);
export const validateRenewBody = createBodyValidator<RenewBody>(renewBodySchema);
export const validateSetStateBody = createBodyValidator<SetStateBody>(setStateBodySchema);
export const validatePowerCycleBody = createBodyValidator<PowerCycleBody>(powerCycleBodySchema);
export const validateBootBody = createBodyValidator<BootBody>(bootBodySchema);
export const validateSetCommentsBody = createBodyValidator<SetCommentsBody>(setCommentsBodySchema);
export const validateSetEnvironmentBody = createBodyValidator<SetEnvironmentBody>(setEnvironmentBodySchema);

/** A schema-valid duration (integer or digit string) as seconds; 400 beyond {@link MAX_DURATION_S}. */
export function toDurationS(duration: number | string): number {
  const durationS = typeof duration === 'number' ? duration : Number(duration.trim());
  if (durationS > MAX_DURATION_S) throw httpError(400, `duration must be <= ${MAX_DURATION_S}`);
  return durationS;
}
