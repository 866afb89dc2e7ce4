import { Ajv, type ErrorObject } from 'ajv';
import type { Context } from 'koa';
import { httpError } from '../../../http/errors.js';
import { readJsonBody } from '../../../http/read-json-body.js';
import { CONTAINER_MANAGER_TYPES, NETWORK_TYPES } from '../domain/config-record-decider.js';

const NAME = { type: 'string', pattern: '^[A-Za-z0-9_-]+$' } as const;
const ADDRESS = { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' } as const;
const NULL = { type: 'null' } as const;

/** `PUT /cluster/{name}`. Other fields are ignored: commctl still sends the removed `type`. */
export type ClusterBody = { readonly network?: string | null; readonly container_manager?: string | null };
export const clusterBodySchema = {
  type: 'object',
  properties: {
    network: { anyOf: [NAME, NULL], description: 'the network’s name; `default` when absent or null' },
    container_manager: { anyOf: [{ type: 'string', pattern: '^[A-Za-z0-9_-]*$' }, NULL], description: 'the container manager’s name; none when absent, null or empty' },
    type: { description: 'removed by Commissaire 0.1.0 in favour of `container_manager`; commctl still sends it: ignored' },
  },
} as const;

/** `PUT /cluster/{name}/hosts`: a compare-and-swap of the whole membership. */
export type ClusterHostsBody = { readonly old: readonly string[]; readonly new: readonly string[] };
export const clusterHostsBodySchema = {
  type: 'object',
  required: ['old', 'new'],
  properties: {
    old: { type: 'array', items: { type: 'string' }, description: 'the membership the client believes current (compared as a set)' },
    new: { type: 'array', items: ADDRESS, description: 'the membership wanted' },
  },
} as const;

/** `PUT /host/{address}`, and `PUT /host` with its optional `address`. */
export type HostBody = { readonly ssh_priv_key: string; readonly remote_user?: string | null; readonly cluster?: string | null; readonly address?: string | null };
const hostProperties = {
  ssh_priv_key: { type: 'string', minLength: 1, description: 'the base64 of the host’s ssh private key; stored encrypted' },
  remote_user: { anyOf: [{ type: 'string', minLength: 1 }, NULL], description: 'the ssh user; `root` when absent or null' },
  cluster: { anyOf: [NAME, NULL], description: 'a cluster the host joins; it must exist' },
} as const;
export const hostBodySchema = { type: 'object', required: ['ssh_priv_key'], properties: hostProperties } as const;
export const selfHostBodySchema = {
  type: 'object',
  required: ['ssh_priv_key'],
  properties: { ...hostProperties, address: { anyOf: [ADDRESS, NULL], description: 'the host’s address; the caller’s own address when absent or null' } },
} as const;

/** `PUT /cluster/{name}/deploy`. */
export type DeployBody = { readonly version: string };
export const deployBodySchema = {
  type: 'object',
  required: ['version'],
  properties: { version: { type: 'string', minLength: 1, description: 'the labpool image every host of the cluster is imaged with' } },
} as const;

/** `PUT /cluster/{name}/upgrade|restart`: commctl sends `{}`; fields are ignored. */
export const emptyBodySchema = { type: 'object' } as const;

/** `PUT /network/{name}` and `PUT /containermanager/{name}`. */
export type ConfigRecordBody = { readonly type: string; readonly options?: Readonly<Record<string, unknown>> };
function configRecordBodySchema(types: readonly string[]) {
  return {
    type: 'object',
    required: ['type'],
    properties: {
      type: { type: 'string', enum: types },
      options: { type: 'object', description: 'kept as sent; `{}` when absent' },
      name: { type: 'string', description: 'ignored: the path names the record' },
    },
  } as const;
}
export const networkBodySchema = configRecordBodySchema(NETWORK_TYPES);
export const containerManagerBodySchema = configRecordBodySchema(CONTAINER_MANAGER_TYPES);

/** Reads the request's body and returns it typed when it matches its schema; else 400. */
export type BodyReader<Body> = (ctx: Context) => Body;

const ajv = new Ajv({ allowUnionTypes: true });

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (first === undefined) return 'the body is invalid';
  return `${first.instancePath === '' ? 'body' : first.instancePath.slice(1).replaceAll('/', '.')} ${first.message ?? 'is invalid'}`;
}

/**
 * A reader for bodies of `schema`. A body that is not JSON was set aside by the parser for the route
 * (`readJsonBody` throws it), so the credentials were checked before it: 403 wins over 400.
 */
export function createBodyReader<Body>(schema: object): BodyReader<Body> {
  const validate = ajv.compile<Body>(schema);
  return (ctx) => {
    const body = readJsonBody(ctx);
    if (validate(body)) return body;
    throw httpError(400, describe(validate.errors));
  };
}
