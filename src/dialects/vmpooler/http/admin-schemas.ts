/**
 * JSON schemas of the bodies of vmpooler's admin routes, for the OpenAPI document. The routes check
 * bodies with the pure checks of `domain/vm-changes.ts` and `domain/pool-changes.ts`, which add what a
 * schema cannot say (the configured tag whitelist and lifetime cap, which pools and images exist) and
 * answer in vmpooler's shapes (`failure`, `not_configured`, `bad_templates`, `bad_pools` lists).
 */

const wholeNumber = (minimum: number) => ({
  description: `a whole number from ${minimum}, as an integer or a string of digits`,
  anyOf: [
    { type: 'integer', minimum },
    { type: 'string', pattern: '^\\s*\\d{1,15}\\s*$' },
  ],
});

/** `PUT /vm/<host>`. */
export const vmChangeBodySchema = {
  type: 'object',
  properties: {
    lifetime: { ...wholeNumber(1), description: 'hours from checkout, above 0 and below the configured maximum' },
    tags: {
      type: 'object',
      description: 'merged into the host’s tags; empty values are skipped',
      propertyNames: { pattern: '^[A-Za-z0-9_.-]{1,50}$' },
      additionalProperties: { type: 'string', maxLength: 255 },
    },
  },
  additionalProperties: false,
} as const;

/** `POST /config/poolsize`: pool name → its new size. */
export const poolSizeBodySchema = { type: 'object', minProperties: 1, additionalProperties: wholeNumber(0) } as const;

/** `POST /config/pooltemplate`: pool name → the labpool image its devices get. */
export const poolTemplateBodySchema = { type: 'object', minProperties: 1, additionalProperties: { type: 'string', minLength: 1 } } as const;

/** `POST /poolreset`: pool name → any value (clients send `"1"`). */
export const poolResetBodySchema = { type: 'object', minProperties: 1, additionalProperties: true } as const;

/** The admin routes' body schemas by `METHOD /openapi/path/`, for both API versions. */
export const vmpoolerAdminBodySchemas: Readonly<Record<string, object>> = Object.fromEntries(
  ['v1', 'v3'].flatMap((version): [string, object][] => [
    [`PUT /api/${version}/vm/{host}/`, vmChangeBodySchema],
    [`POST /api/${version}/config/poolsize/`, poolSizeBodySchema],
    [`POST /api/${version}/config/pooltemplate/`, poolTemplateBodySchema],
    [`POST /api/${version}/poolreset/`, poolResetBodySchema],
  ]),
);
