/**
 * JSON schemas of the MozPool request bodies. They are exported as plain objects because the
 * OpenAPI document is generated from them; `validate-body.ts` compiles them.
 */

/** Longest accepted duration: MozPool's `int()` had no bound, but an expiry must stay a valid date. */
export const MAX_DURATION_S = 2_147_483_647;

/**
 * MozPool read durations with Python's `int()`, so clients send both `600` and `"600"`. A failed
 * `anyOf` is reported with its `description`, so it reads as the end of "<field> must be …".
 */
function createDurationSchema(minimumS: number) {
  return {
    description: `whole seconds from ${minimumS} to ${MAX_DURATION_S}, as an integer or a string of digits`,
    anyOf: [
      { type: 'integer', minimum: minimumS, maximum: MAX_DURATION_S },
      { type: 'string', pattern: '^\\s*\\+?[0-9]{1,10}\\s*$' },
    ],
  } as const;
}

export type DurationSchema = ReturnType<typeof createDurationSchema>;

/** A new request lasts at least a second (the request decider refuses less). */
export const requestDurationSchema: DurationSchema = createDurationSchema(1);

/** A renewal sets the remaining time; 0 ends the lease at once. */
export const renewDurationSchema: DurationSchema = createDurationSchema(0);

const nameSchema = { type: 'string', minLength: 1 } as const;

/**
 * `POST /api/device/{name|any}/request/`. The spec document names the requester `requester`,
 * MozPool's clients send `assignee`: either will do. Every key of the image's `boot_config_keys`
 * is required too; they are not listed here because they depend on the image.
 */
export const deviceRequestBodySchema = {
  type: 'object',
  required: ['image', 'duration'],
  anyOf: [{ required: ['assignee'] }, { required: ['requester'] }],
  properties: {
    assignee: { type: 'string', minLength: 1, description: 'An email address or a hostname.' },
    requester: { type: 'string', minLength: 1, description: 'The spec document’s name for assignee.' },
    image: nameSchema,
    duration: requestDurationSchema,
    environment: { ...nameSchema, default: 'any' },
  },
  additionalProperties: { description: 'Boot config values, keyed by the image’s boot_config_keys.' },
} as const;

/** The request body of `POST /api/device/{name}/request/` once validated. */
export type DeviceRequestBody = {
  readonly assignee?: string;
  readonly requester?: string;
  readonly image: string;
  readonly duration: number | string;
  readonly environment?: string;
  readonly [bootConfigKey: string]: unknown;
};

/** `POST /api/request/{id}/renew/`: the new remaining lifetime. */
export const renewBodySchema = {
  type: 'object',
  required: ['duration'],
  properties: { duration: renewDurationSchema },
} as const;

export type RenewBody = { readonly duration: number | string };

/** `POST /api/device/{id}/setstate/`: the spec document's form of `state-change/{old}/to/{new}`. */
export const setStateBodySchema = {
  type: 'object',
  required: ['old_state', 'new_state'],
  properties: { old_state: nameSchema, new_state: nameSchema },
} as const;

export type SetStateBody = { readonly old_state: string; readonly new_state: string };

/**
 * `POST /api/device/{id}/power-cycle/`: with `pxe_config` the device PXE boots it, else it boots from
 * disk; `boot_config` is stored for the device to read at `/config/`.
 */
export const powerCycleBodySchema = {
  type: 'object',
  properties: {
    pxe_config: nameSchema,
    boot_config: {
      description: 'a string, or an object (stored as its JSON text)',
      anyOf: [{ type: 'string' }, { type: 'object' }],
    },
  },
} as const;

export type PowerCycleBody = { readonly pxe_config?: string; readonly boot_config?: string | Readonly<Record<string, unknown>> };

/** `POST /api/device/{id}/boot/{image}/`: the whole (optional) object is the boot config. */
export const bootBodySchema = { type: 'object' } as const;

export type BootBody = Readonly<Record<string, unknown>>;

/** `POST /api/device/{id}/set-comments/`. */
export const setCommentsBodySchema = {
  type: 'object',
  required: ['comments'],
  properties: { comments: { type: 'string' } },
} as const;

export type SetCommentsBody = { readonly comments: string };

/** `POST /api/device/{id}/set-environment/`. */
export const setEnvironmentBodySchema = {
  type: 'object',
  required: ['environment'],
  properties: { environment: nameSchema },
} as const;

export type SetEnvironmentBody = { readonly environment: string };

/** Every MozPool body schema by the route it validates, for the OpenAPI generator. */
export const mozpoolBodySchemas = {
  'POST /api/device/{id}/request/': deviceRequestBodySchema,
  'POST /api/request/{id}/renew/': renewBodySchema,
  'POST /api/device/{id}/setstate/': setStateBodySchema,
  'POST /api/device/{id}/power-cycle/': powerCycleBodySchema,
  'POST /api/device/{id}/boot/{image}/': bootBodySchema,
  'POST /api/device/{id}/set-comments/': setCommentsBodySchema,
  'POST /api/device/{id}/set-environment/': setEnvironmentBodySchema,
} as const;
