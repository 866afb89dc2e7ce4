import { BOOT_CONFIG_KEY_PATTERN, NAME_PATTERN, NAME_RULE, RESERVED_BOOT_CONFIG_KEYS } from './inventory-names.js';

/** `aa:bb:cc:dd:ee:ff`, either case (normalised to lower case when parsed). */
export const MAC_ADDRESS_PATTERN = '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$';

/** A server id: its public `host:port`, as in labpool's configuration. */
export const SERVER_ID_PATTERN = '^\\S+:\\d{1,5}$';

/** A tag, or a label's key: what node filters name, so no spaces and nothing that needs quoting. */
export const SELECTOR_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._/:-]{0,127}$';

const name = { type: 'string', pattern: NAME_PATTERN } as const;
const text = { type: 'string' } as const;
const selector = { type: 'string', pattern: SELECTOR_PATTERN } as const;
const labelsSchema = { type: 'object', propertyNames: selector, additionalProperties: { type: 'string', maxLength: 256 } } as const;

const rackSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { labels: labelsSchema },
} as const;

const hardwareTypeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name, description: text },
} as const;

const imageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name,
    bootConfigKeys: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: BOOT_CONFIG_KEY_PATTERN, not: { enum: RESERVED_BOOT_CONFIG_KEYS } },
    },
    canReuse: { type: 'boolean' },
    hidden: { type: 'boolean' },
    hasSutAgent: { type: 'boolean' },
    verify: {
      type: 'object',
      additionalProperties: false,
      required: ['tcpPort'],
      properties: { tcpPort: { type: 'integer', minimum: 1, maximum: 65535 } },
    },
    pxeConfigs: { type: 'object', propertyNames: name, additionalProperties: name },
  },
} as const;

const pxeConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'contents'],
  properties: {
    name,
    version: { type: 'integer', minimum: 1 },
    description: text,
    contents: { type: 'string', pattern: '\\S' },
    active: { type: 'boolean' },
  },
} as const;

const deviceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'fqdn', 'inventoryId', 'macAddress', 'relayInfo', 'hardwareType'],
  properties: {
    name,
    fqdn: { type: 'string', format: 'hostname', minLength: 1 },
    inventoryId: { type: 'integer', minimum: 0 },
    macAddress: { type: 'string', pattern: MAC_ADDRESS_PATTERN },
    imagingServer: { type: 'string', pattern: SERVER_ID_PATTERN },
    relayInfo: { type: 'string', pattern: '^\\S+$' },
    hardwareType: name,
    environment: name,
    tags: { type: 'array', uniqueItems: true, items: selector },
    labels: labelsSchema,
    rack: name,
  },
} as const;

/**
 * The inventory file. Only `devices` is required, so that an empty lab is written out on purpose
 * rather than by a forgotten key; the catalogue lists default to empty.
 */
export const inventoryFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['devices'],
  properties: {
    hardwareTypes: { type: 'array', items: hardwareTypeSchema },
    images: { type: 'array', items: imageSchema },
    pxeConfigs: { type: 'array', items: pxeConfigSchema },
    racks: { type: 'object', propertyNames: name, additionalProperties: rackSchema },
    devices: { type: 'array', items: deviceSchema },
  },
} as const;

/** What a pattern failure is told, by pattern: the raw regular expression helps nobody. */
export const PATTERN_RULES: Readonly<Record<string, string>> = {
  [NAME_PATTERN]: NAME_RULE,
  [BOOT_CONFIG_KEY_PATTERN]: 'must be an identifier (letters, digits, "_"; not starting with a digit)',
  [MAC_ADDRESS_PATTERN]: 'must look like aa:bb:cc:dd:ee:ff',
  [SELECTOR_PATTERN]: 'must be 1-128 letters, digits, ".", "_", "/", ":" or "-", starting with a letter or digit',
  [SERVER_ID_PATTERN]: 'must be a server id host:port',
  '^\\S+$': 'must be non-empty without spaces',
  '\\S': 'must not be blank',
};

/** An inventory file as written, before defaults. */
export type RawInventoryFile = {
  readonly hardwareTypes?: readonly { readonly name: string; readonly description?: string }[];
  readonly images?: readonly {
    readonly name: string;
    readonly bootConfigKeys?: readonly string[];
    readonly canReuse?: boolean;
    readonly hidden?: boolean;
    readonly hasSutAgent?: boolean;
    readonly verify?: { readonly tcpPort: number };
    readonly pxeConfigs?: Readonly<Record<string, string>>;
  }[];
  readonly pxeConfigs?: readonly {
    readonly name: string;
    readonly version?: number;
    readonly description?: string;
    readonly contents: string;
    readonly active?: boolean;
  }[];
  readonly racks?: Readonly<Record<string, { readonly labels?: Readonly<Record<string, string>> }>>;
  readonly devices: readonly {
    readonly name: string;
    readonly fqdn: string;
    readonly inventoryId: number;
    readonly macAddress: string;
    readonly imagingServer?: string;
    readonly relayInfo: string;
    readonly hardwareType: string;
    readonly environment?: string;
    readonly tags?: readonly string[];
    readonly labels?: Readonly<Record<string, string>>;
    readonly rack?: string;
  }[];
};
