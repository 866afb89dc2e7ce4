import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import { httpError } from '../../../http/errors.js';
import { bootBodySchema, deviceRequestBodySchema, powerCycleBodySchema, renewBodySchema, setCommentsBodySchema, setEnvironmentBodySchema, setStateBodySchema } from './mozpool-schemas.js';
import type { BootBody, DeviceRequestBody, DurationSchema, PowerCycleBody, RenewBody, SetCommentsBody, SetEnvironmentBody, SetStateBody } from './mozpool-schemas.js';

/** Returns the body typed when it matches its schema; otherwise throws a 400 naming the first problem. */
export type BodyValidator<Body> = (body: unknown) => Body;

// `verbose` puts the failing schema on each error, so a failed `anyOf` can quote its description.
const ajv = new Ajv({ verbose: true });

function fieldOf(error: ErrorObject): string {
  return error.instancePath === '' ? 'body' : error.instancePath.slice(1).replaceAll('/', '.');
}

/** The description of the field's failed `anyOf`; a body's own description documents it, it is no rule. */
function describedAnyOf(errors: readonly ErrorObject[], path: string): string | undefined {
  if (path === '') return undefined;
  const anyOf = errors.find((error) => error.keyword === 'anyOf' && error.instancePath === path);
  const description: unknown = anyOf?.parentSchema?.['description'];
  return typeof description === 'string' ? description : undefined;
}

/** `body must have required property 'image'`, `comments must be string`, `duration must be <its rule>`. */
function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (errors == null || first === undefined) return 'body is invalid';
  const rule = describedAnyOf(errors, first.instancePath);
  return rule === undefined ? `${fieldOf(first)} ${first.message ?? 'is invalid'}` : `${fieldOf(first)} must be ${rule}`;
}

function createBodyValidator<Body>(schema: object): BodyValidator<Body> {
  const validate = ajv.compile<Body>(schema);
  return (body) => {
    if (validate(body)) return body;
    throw httpError(400, describeErrors(validate.errors));
  };
}

export const validateDeviceRequestBody = createBodyValidator<DeviceRequestBody>(deviceRequestBodySchema);
export const validateRenewBody = createBodyValidator<RenewBody>(renewBodySchema);
export const validateSetStateBody = createBodyValidator<SetStateBody>(setStateBodySchema);
export const validatePowerCycleBody = createBodyValidator<PowerCycleBody>(powerCycleBodySchema);
export const validateBootBody = createBodyValidator<BootBody>(bootBodySchema);
export const validateSetCommentsBody = createBodyValidator<SetCommentsBody>(setCommentsBodySchema);
export const validateSetEnvironmentBody = createBodyValidator<SetEnvironmentBody>(setEnvironmentBodySchema);

/** A duration valid under `schema` as seconds; a digit string outside the schema's range is a 400 too. */
export function toDurationS(duration: number | string, schema: DurationSchema): number {
  const durationS = typeof duration === 'number' ? duration : Number(duration.trim());
  const [{ minimum, maximum }] = schema.anyOf;
  if (durationS < minimum || durationS > maximum) throw httpError(400, `duration must be ${schema.description}`);
  return durationS;
}
