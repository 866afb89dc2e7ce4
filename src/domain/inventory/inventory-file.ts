import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { DeviceInventory } from '../device/device-events.js';
import { inventoryFileProblems, relayInfoProblems } from './inventory-file-checks.js';
import { inventoryFileSchema, PATTERN_RULES, type RawInventoryFile } from './inventory-file-schema.js';
import type { HardwareTypeDefinition, ImageDefinition, PxeConfigDefinition } from './inventory-events.js';
import { RESERVED_BOOT_CONFIG_KEYS, SSH_TCP_PORT, SUT_AGENT_TCP_PORT } from './inventory-names.js';

/** A device as the inventory describes it. */
export type InventoryDevice = DeviceInventory & { readonly name: string };

/** A rack devices name as theirs: node filters select devices by its name and its labels. */
export type RackDefinition = {
  readonly labels: Readonly<Record<string, string>>;
};

/** The lab as the operator wants it: the catalogue, the racks and every device. */
export type InventoryFile = {
  readonly hardwareTypes: readonly HardwareTypeDefinition[];
  readonly images: readonly ImageDefinition[];
  readonly pxeConfigs: readonly PxeConfigDefinition[];
  /** By rack name. */
  readonly racks: Readonly<Record<string, RackDefinition>>;
  readonly devices: readonly InventoryDevice[];
};

/** What the file may leave out that only the caller knows. */
export type InventoryFileDefaults = {
  /** The server id (`host:port`) of the server loading the file: owner of devices that name none. */
  readonly imagingServer: string;
};

/**
 * What is wrong with a device's `relay_info` (its power address), or undefined when a power cycle
 * can use it. The composition root builds it from the PDU models this server knows.
 */
export type RelayInfoCheck = (relayInfo: string) => string | undefined;

/** What only the caller knows: the defaults above, and how to check power addresses. */
export type InventoryFileContext = InventoryFileDefaults & {
  /** Checks the `relayInfo` of the caller's own devices; without it they are not checked. */
  readonly checkRelayInfo?: RelayInfoCheck;
};

/**
 * Environment of a device that names none. Requests that ask for no environment (`any`) take any
 * device; a request for a named environment never gets a device left in `any`.
 */
export const DEFAULT_DEVICE_ENVIRONMENT = 'any';

/** An inventory file that cannot be used; `problems` has one line per bad field. */
export class InventoryFileError extends Error {
  override readonly name = 'InventoryFileError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid inventory file:\n  ${problems.join('\n  ')}`);
  }
}

const ajv = new Ajv({ allErrors: true });
addFormats.default(ajv);
const validateInventoryFile = ajv.compile<RawInventoryFile>(inventoryFileSchema);

/**
 * Checks a parsed JSON inventory and fills in defaults: `description` '', `bootConfigKeys` [],
 * `canReuse`/`hidden`/`hasSutAgent` false, `verify.tcpPort` 20701 with the SUT agent else 22 (ssh),
 * image `pxeConfigs` {}, PXE config `version` 1 and `active` true, rack `labels` {}, device `imagingServer`
 * `defaults.imagingServer`, `environment` {@link DEFAULT_DEVICE_ENVIRONMENT}, `tags` [], `labels` {} and
 * `rack` null; each device's `rackLabels` are its rack's labels; MACs become lower case.
 * Shape errors are reported first, all at once; when the shape is right, so are cross-field ones
 * (unique names and MACs, references to hardware types, PXE configs and racks), and the power addresses
 * of the devices `context.imagingServer` owns, when `context.checkRelayInfo` is given: only the
 * owner powers a device, with PDU models of its own config.
 * @throws InventoryFileError naming every bad field.
 */
export function parseInventoryFile(json: unknown, context: InventoryFileContext): InventoryFile {
  if (!validateInventoryFile(json)) throw new InventoryFileError(schemaProblems(validateInventoryFile.errors ?? []));
  const file = withDefaults(json, context);
  const ownDevices = (device: InventoryDevice) => device.imagingServer === context.imagingServer;
  const problems = [...inventoryFileProblems(file), ...(context.checkRelayInfo === undefined ? [] : relayInfoProblems(file, ownDevices, context.checkRelayInfo))];
  if (problems.length > 0) throw new InventoryFileError(problems);
  return file;
}

function withDefaults(raw: RawInventoryFile, defaults: InventoryFileDefaults): InventoryFile {
  return {
    hardwareTypes: (raw.hardwareTypes ?? []).map((type) => ({ name: type.name, description: type.description ?? '' })),
    images: (raw.images ?? []).map((image) => ({
      name: image.name,
      bootConfigKeys: [...(image.bootConfigKeys ?? [])],
      canReuse: image.canReuse ?? false,
      hidden: image.hidden ?? false,
      hasSutAgent: image.hasSutAgent ?? false,
      verify: { tcpPort: image.verify?.tcpPort ?? (image.hasSutAgent ? SUT_AGENT_TCP_PORT : SSH_TCP_PORT) },
      pxeConfigs: { ...image.pxeConfigs },
    })),
    pxeConfigs: (raw.pxeConfigs ?? []).map((config) => ({
      name: config.name,
      version: config.version ?? 1,
      description: config.description ?? '',
      contents: config.contents,
      active: config.active ?? true,
    })),
    racks: Object.fromEntries(Object.entries(raw.racks ?? {}).map(([rack, definition]) => [rack, { labels: { ...definition.labels } }])),
    devices: raw.devices.map((device) => withDeviceDefaults(device, raw.racks ?? {}, defaults)),
  };
}

function withDeviceDefaults(device: RawInventoryFile['devices'][number], racks: NonNullable<RawInventoryFile['racks']>, defaults: InventoryFileDefaults): InventoryDevice {
  const { tags, labels, rack, ...facts } = device;
  return {
    ...facts,
    macAddress: device.macAddress.toLowerCase(),
    imagingServer: device.imagingServer ?? defaults.imagingServer,
    environment: device.environment ?? DEFAULT_DEVICE_ENVIRONMENT,
    tags: [...(tags ?? [])],
    labels: { ...labels },
    rack: rack ?? null,
    // An unknown rack is reported by the checks; until then it has no labels.
    rackLabels: { ...(rack === undefined || !Object.hasOwn(racks, rack) ? {} : racks[rack]?.labels) },
  };
}

function schemaProblems(errors: readonly ErrorObject[]): string[] {
  return [...new Set(errors.flatMap(describeSchemaError))];
}

/** `/devices/2/macAddress` → `devices[2].macAddress`. */
function fieldOf(instancePath: string, child?: unknown): string {
  const segments = instancePath.split('/').slice(1);
  // ajv names the failing child by key or index.
  if (child !== undefined) segments.push(typeof child === 'string' ? child : JSON.stringify(child));
  const field = segments.map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`)).join('');
  return field === '' ? 'the inventory' : field.replace(/^\./, '');
}

function describeSchemaError(error: ErrorObject): string[] {
  const { instancePath, keyword, params } = error;
  switch (keyword) {
    case 'required':
      return [`${fieldOf(instancePath, params['missingProperty'])} is required`];
    case 'additionalProperties':
      return [`${fieldOf(instancePath, params['additionalProperty'])} is not a known field`];
    case 'propertyNames':
      return [`${fieldOf(instancePath)} has a bad key ${JSON.stringify(params['propertyName'])}`];
    case 'pattern':
      // A bad key's pattern failure is told by its `propertyNames` error.
      if (error.propertyName !== undefined) return [];
      return [`${fieldOf(instancePath)} ${PATTERN_RULES[String(params['pattern'])] ?? error.message}`];
    case 'not':
      return [`${fieldOf(instancePath)} must not be a request field (${RESERVED_BOOT_CONFIG_KEYS.join(', ')})`];
    case 'uniqueItems':
      return [`${fieldOf(instancePath, params['j'])} repeats ${fieldOf(instancePath, params['i'])}`];
    case 'type':
      return [`${fieldOf(instancePath)} must be ${withArticle(String(params['type']))}`];
    case 'format':
      return [`${fieldOf(instancePath)} must be a valid ${params['format'] === 'hostname' ? 'host name' : String(params['format'])}`];
    default:
      return [`${fieldOf(instancePath)} ${error.message ?? 'is invalid'}`];
  }
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
