import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { LabpoolConfig } from './config.js';
import { ROLES } from '../domain/identity/roles.js';
import { isPasswordHash } from '../identity/password-hash.js';
import { HASH_FORMATS } from '../identity/user-records.js';
import { isAddressBlock } from '../http/access/address-blocks.js';

/** The event stores labpool can run on. */
export const STORE_KINDS = ['sqlite', 'eventstoredb'] as const;

/** SQLite `synchronous` levels labpool accepts: FULL survives power loss, NORMAL only a crash. */
export const SQLITE_SYNCHRONOUS_LEVELS = ['FULL', 'NORMAL'] as const;

const positiveInteger = { type: 'integer', minimum: 1 } as const;

const sqliteStoreSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'path', 'synchronous'],
  properties: {
    kind: { const: 'sqlite' },
    path: { type: 'string', minLength: 1 },
    synchronous: { enum: SQLITE_SYNCHRONOUS_LEVELS },
  },
} as const;

const eventStoreDbStoreSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'url'],
  properties: {
    kind: { const: 'eventstoredb' },
    // Cluster connection strings list several hosts (`esdb://a:2113,b:2113`); `uri` accepts that.
    url: { type: 'string', format: 'uri', pattern: '^esdb(\\+discover)?://' },
  },
} as const;

/** A section whose fields are all optional, and nothing else. */
function sectionOf<Properties extends Readonly<Record<string, object>>>(properties: Properties) {
  return { type: 'object', additionalProperties: false, properties } as const;
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  // serverId is derived from `http` after validation when no source sets it.
  required: ['http', 'store', 'actors'],
  properties: {
    serverId: { type: 'string', pattern: '^\\S+:\\d{1,5}$' },
    http: {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'port'],
      properties: {
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        headersTimeoutMs: { type: 'integer', minimum: 100 },
        requestTimeoutMs: { type: 'integer', minimum: 100 },
        maxTailsPerClient: { type: 'integer', minimum: 1 },
        cors: {
          type: 'object',
          additionalProperties: false,
          required: ['origins'],
          properties: { origins: { type: 'array', items: { type: 'string', format: 'web-origin' } } },
        },
      },
    },
    store: {
      type: 'object',
      required: ['kind'],
      discriminator: { propertyName: 'kind' },
      oneOf: [sqliteStoreSchema, eventStoreDbStoreSchema],
    },
    actors: {
      type: 'object',
      additionalProperties: false,
      required: ['snapshotEvery', 'idleShutdownMs', 'queryTimeoutMs'],
      properties: { snapshotEvery: positiveInteger, idleShutdownMs: positiveInteger, queryTimeoutMs: positiveInteger },
    },
    inventory: {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'forceSync'],
      properties: { file: { type: ['string', 'null'], minLength: 1 }, forceSync: { type: 'boolean' } },
    },
    hardware: {
      type: 'object',
      additionalProperties: false,
      required: ['tftp', 'pxe', 'power', 'verify'],
      properties: {
        tftp: {
          type: 'object',
          additionalProperties: false,
          required: ['host', 'port', 'root'],
          properties: { host: { type: 'string', minLength: 1 }, port: { type: 'integer', minimum: 1, maximum: 65535 }, root: { type: 'string', minLength: 1 } },
        },
        pxe: { type: 'object', additionalProperties: false, required: ['serverAddress'], properties: { serverAddress: { type: 'string', minLength: 1 } } },
        power: {
          type: 'object',
          additionalProperties: false,
          required: ['defaultCommunity', 'defaultModel', 'timeoutMs', 'retries', 'pauseBetweenMs', 'offOnDelayMs'],
          properties: {
            defaultCommunity: { type: 'string', minLength: 1 },
            defaultModel: { type: 'string', minLength: 1 },
            timeoutMs: positiveInteger,
            retries: { type: 'integer', minimum: 0, maximum: 10 },
            pauseBetweenMs: { type: 'integer', minimum: 0 },
            offOnDelayMs: { type: 'integer', minimum: 0 },
            models: { type: 'object' },
          },
        },
        verify: {
          type: 'object',
          additionalProperties: false,
          required: ['timeoutMs', 'defaultTcpPort'],
          properties: { timeoutMs: positiveInteger, defaultTcpPort: { type: 'integer', minimum: 1, maximum: 65535 } },
        },
      },
    },
    sim: {
      type: 'object',
      additionalProperties: false,
      required: ['enabled', 'external', 'devices', 'stepDelayMs', 'pduPorts'],
      properties: {
        enabled: { type: 'boolean' },
        external: { type: 'boolean' },
        devices: { type: 'integer', minimum: 1, maximum: 250 },
        stepDelayMs: { type: 'integer', minimum: 0 },
        pduPorts: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 65535 }, minItems: 2 },
        addressPrefix: { type: 'string', pattern: '^127\\.(\\d{1,3})\\.(\\d{1,3})\\.$' },
        namePrefix: { type: 'string', pattern: '^[a-z][a-z0-9]{0,15}$' },
        faults: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: { neverBoots: { type: 'boolean' }, hangBefore: { type: 'string' }, failsSelfTest: { type: 'boolean' }, deadOutlet: { type: 'boolean' }, lateReadBack: { type: 'boolean' } },
          },
        },
      },
    },
    lifeguardLimits: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { timeoutMs: { type: ['integer', 'null'], minimum: 0 }, maxCount: { type: ['integer', 'null'], minimum: 0 } },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      required: ['usersFile', 'tokenUseIntervalMs'],
      properties: {
        users: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'hash'],
            properties: {
              name: { type: 'string', pattern: '^[^\\s:]{1,128}$' },
              hash: { type: 'string', format: 'password-hash' },
              roles: { type: 'array', items: { enum: ROLES } },
            },
          },
        },
        usersFile: { type: ['string', 'null'], minLength: 1 },
        tokenUseIntervalMs: { type: 'integer', minimum: 0 },
      },
    },
    security: {
      type: 'object',
      additionalProperties: false,
      required: ['mozpoolWritesNeedToken', 'deviceSources'],
      properties: {
        mozpoolWritesNeedToken: { type: 'boolean' },
        deviceSources: { type: ['array', 'null'], items: { type: 'string', format: 'cidr' } },
      },
    },
    vmpooler: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pools: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'image', 'size'],
            properties: {
              name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' },
              alias: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' } },
              image: { type: 'string', minLength: 1 },
              bootConfig: { type: 'object' },
              hardwareType: { type: 'string', minLength: 1 },
              environment: { type: 'string', minLength: 1 },
              size: { type: 'integer', minimum: 0 },
              readyTtl: positiveInteger,
              domain: { type: 'string', minLength: 1 },
              reimageConcurrency: positiveInteger,
            },
          },
        },
        vmLifetime: positiveInteger,
        vmLifetimeAuth: positiveInteger,
        maxLifetimeUpperLimit: { type: 'integer', minimum: 0 },
        allowedTags: { type: 'array', items: { type: 'string' } },
        tagFilter: { type: 'object', additionalProperties: { type: 'string' } },
        experimentalFeatures: { type: 'boolean' },
        maxOndemandInstancesPerRequest: positiveInteger,
        ondemandRequestTtl: positiveInteger,
        domain: { type: 'string', minLength: 1 },
      },
    },
    drydock: {
      type: 'object',
      additionalProperties: false,
      properties: {
        designFolder: { type: 'string', minLength: 1 },
        bootactionTimeoutS: positiveInteger,
        eraseImage: { type: 'string', minLength: 1 },
        publicUrl: { type: 'string', minLength: 1 },
      },
    },
    commissaire: sectionOf({
      credsKey: { type: 'string', minLength: 1 },
      credsKeyFile: { type: 'string', minLength: 1 },
      factsMaxAgeMs: { type: 'integer', minimum: 0 },
    }),
    lbaas: {
      type: 'object',
      additionalProperties: false,
      // A certificate without its key (or the other way round) cannot serve TLS.
      dependencies: { certFile: ['keyFile'], keyFile: ['certFile'] },
      properties: {
        enabled: { type: 'boolean' },
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        certFile: { type: 'string', minLength: 1 },
        keyFile: { type: 'string', minLength: 1 },
        requireToken: { type: 'boolean' },
      },
    },
    servers: sectionOf({
      peerToken: { type: 'string', minLength: 16 },
      peerTimeoutMs: { type: 'integer', minimum: 100 },
      heartbeatMs: { type: 'integer', minimum: 100 },
    }),
    mozpoolLimits: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        ['findingTimeoutMs', 'findingMaxTries', 'namedBusyMax', 'contactingTimeoutMs', 'contactingMaxTries', 'pendingTimeoutMs', 'pendingMaxTimeouts', 'badImageMax'].map((key) => [
          key,
          positiveInteger,
        ]),
      ),
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, discriminator: true });
addFormats.default(ajv);
ajv.addFormat('password-hash', isPasswordHash);
ajv.addFormat('cidr', isAddressBlock);
// What a browser sends in `Origin`: scheme, host and an optional port, nothing after.
ajv.addFormat('web-origin', /^https?:\/\/[^/\s?#]+$/);
const validateConfig = ajv.compile<CheckedConfig>(configSchema);

/** A valid configuration, before `serverId` gets its default. */
export type CheckedConfig = Omit<LabpoolConfig, 'serverId'> & { readonly serverId?: string };

/** Where the setting at a dotted path (`http.port`) came from, e.g. `env LABPOOL_PORT`. */
export type OriginLookup = (path: string) => string;

/** The outcome of {@link checkConfig}. */
export type ConfigCheck = { readonly ok: true; readonly config: CheckedConfig } | { readonly ok: false; readonly problems: readonly string[] };

function joinPath(parent: string, key: unknown): string {
  return parent === '' ? String(key) : `${parent}.${String(key)}`;
}

/** What a value of each custom format should have looked like. */
const FORMAT_PROBLEMS: Readonly<Record<string, string>> = {
  'password-hash': `is not ${HASH_FORMATS}`,
  cidr: 'is not a CIDR block such as 10.0.0.0/8 or fd00::/8 (an address alone is one host)',
  'web-origin': 'is not an origin such as https://dash.example.org (scheme, host and port only)',
};

function fieldAndProblem(error: ErrorObject): readonly [field: string, problem: string] {
  const parent = error.instancePath.split('/').slice(1).join('.');
  switch (error.keyword) {
    case 'additionalProperties':
      return [joinPath(parent, error.params['additionalProperty']), 'is not a known setting'];
    case 'required':
      return [joinPath(parent, error.params['missingProperty']), 'is required'];
    case 'discriminator':
      return [joinPath(parent, error.params['tag']), `must be one of ${STORE_KINDS.join(', ')}`];
    case 'pattern':
      return [parent, /^auth\.users\.\d+\.name$/.test(parent) ? "must be 1-128 characters without ':' or spaces" : (error.message ?? 'is invalid')];
    case 'format':
      return [parent, FORMAT_PROBLEMS[String(error.params['format'])] ?? error.message ?? 'is invalid'];
    case 'enum':
      return [parent, `must be one of ${(error.params['allowedValues'] as readonly unknown[]).join(', ')}`];
    default:
      return [parent, error.message ?? 'is invalid'];
  }
}

/** A missing setting has no origin of its own: blame whatever set its parent object. */
function originPath(error: ErrorObject, field: string): string {
  return error.keyword === 'required' ? field.split('.').slice(0, -1).join('.') : field;
}

/** Validates a merged configuration; each problem names the field, what is wrong and its origin. */
export function checkConfig(candidate: unknown, originOf: OriginLookup): ConfigCheck {
  if (validateConfig(candidate)) return { ok: true, config: candidate };
  const problems = (validateConfig.errors ?? []).map((error) => {
    const [field, problem] = fieldAndProblem(error);
    return `${field} ${problem} (from ${originOf(originPath(error, field))})`;
  });
  return { ok: false, problems: [...new Set(problems)] };
}
