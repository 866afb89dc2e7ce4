import { NODE_FILTER_SET_SCHEMA } from '../domain/node-filter.js';
import type { NodeFilterSet } from '../domain/design.js';
import { DESIGN_SCHEMA_NAME } from './design-messages.js';
import type { PatternRules } from './schema-problems.js';

/**
 * labpool's design document (docs/drydock-designs.md), as a file writes it. Keys follow Drydock's
 * own spelling (`node_filter`, snake case) so its users recognise them.
 */
export type DesignAssetDocument = {
  readonly path: string;
  readonly type: 'unit' | 'file';
  /** Octal file mode as a string (`"0644"`); default `"0600"`. */
  readonly permissions?: string;
  /** Inline text, written as it is. */
  readonly data?: string;
  /** Text with `{{ name }}` placeholders, rendered per node. */
  readonly template?: string;
};

export type DesignBootactionDocument = {
  readonly name: string;
  /** Absent or null: every node the deploy deploys. */
  readonly node_filter?: NodeFilterSet | null;
  readonly signaling?: boolean;
  readonly assets: readonly DesignAssetDocument[];
};

export type DesignNodeImageDocument = { readonly node_filter: NodeFilterSet; readonly image: string };

export type DesignDocument = {
  readonly schema: typeof DESIGN_SCHEMA_NAME;
  readonly description?: string;
  /** Absent or null: each node keeps its current image. */
  readonly default_image?: string | null;
  readonly node_images?: readonly DesignNodeImageDocument[];
  readonly bootactions?: readonly DesignBootactionDocument[];
};

/** Absolute, no empty, `.` or `..` segment, no trailing slash, no NUL: a tar entry that stays where it says. */
export const ASSET_PATH_PATTERN = '^(?:/(?!\\.\\.?(?:/|$))[^/\\u0000]+)+$';
/** Three or four octal digits: `0644`, `644`, `4755`. */
export const PERMISSIONS_PATTERN = '^[0-7]{3,4}$';
export const BOOTACTION_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

/** What each pattern means, for messages (ajv would echo the regular expression). */
export const DESIGN_PATTERN_RULES: PatternRules = {
  [ASSET_PATH_PATTERN]: 'must be an absolute path without empty, "." or ".." segments and without a trailing slash',
  [PERMISSIONS_PATTERN]: 'must be an octal mode of 3 or 4 digits in a string, such as "0644"',
  [BOOTACTION_NAME_PATTERN]: 'must be 1 to 64 characters [A-Za-z0-9_.-], starting with a letter or digit',
};

const assetSchema = {
  type: 'object',
  required: ['path', 'type'],
  properties: {
    path: { type: 'string', maxLength: 1024, pattern: ASSET_PATH_PATTERN },
    type: { enum: ['unit', 'file'] },
    permissions: { type: 'string', pattern: PERMISSIONS_PATTERN },
    data: { type: 'string' },
    template: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const bootactionSchema = {
  type: 'object',
  required: ['name', 'assets'],
  properties: {
    name: { type: 'string', pattern: BOOTACTION_NAME_PATTERN },
    node_filter: { ...NODE_FILTER_SET_SCHEMA, type: ['object', 'null'] },
    signaling: { type: 'boolean' },
    assets: { type: 'array', minItems: 1, maxItems: 100, items: assetSchema },
  },
  additionalProperties: false,
} as const;

const imageName = { type: 'string', minLength: 1, maxLength: 100 } as const;

/** JSON schema of a {@link DesignDocument}. */
export const DESIGN_DOCUMENT_SCHEMA = {
  type: 'object',
  required: ['schema'],
  properties: {
    schema: { const: DESIGN_SCHEMA_NAME },
    description: { type: 'string' },
    default_image: { ...imageName, type: ['string', 'null'] },
    node_images: {
      type: 'array',
      maxItems: 100,
      items: { type: 'object', required: ['node_filter', 'image'], properties: { node_filter: NODE_FILTER_SET_SCHEMA, image: imageName }, additionalProperties: false },
    },
    bootactions: { type: 'array', maxItems: 100, items: bootactionSchema },
  },
  additionalProperties: false,
} as const;
