import type { RouteDoc, RouteDocs } from '../../../http/openapi/route-doc.js';
import { CONTAINER_MANAGER_TYPES, NETWORK_TYPES } from '../domain/config-record-decider.js';
import * as bodies from './commissaire-bodies.js';

const p = '/api/v0';

const READ = { '403': 'no HTTP Basic credentials, wrong ones, or a user without a role (never 401)' } as const;
const WRITE = { '403': 'no HTTP Basic credentials, wrong ones, or a user who is neither operator nor admin (never 401)' } as const;
const BAD_BODY = 'the body is not JSON, not an object, or a field has the wrong type or form';
const DELETED = '`[]`';

const doc = (summary: string, responses: Readonly<Record<string, string>>, auth: typeof READ | typeof WRITE = READ): RouteDoc => ({ summary, responses: { ...responses, ...auth } });

const clusterDocs: RouteDocs = {
  [`GET ${p}/clusters/`]: doc('The names of every cluster', { '200': 'a list of cluster names' }),
  [`GET ${p}/cluster/{name}/`]: doc('A cluster: its status (`ok`, `degraded` when some host is not active, `failed` when it has hosts and none is active) and host counts', {
    '200': '`{name, status, network, container_manager, hosts: {total, available, unavailable}}`',
    '404': 'no such cluster (also one deleted)',
  }),
  [`PUT ${p}/cluster/{name}/`]: doc(
    'Create a cluster on a network (`default` when none is named), with an optional container manager; a re-PUT of the same is a 201 again',
    { '201': 'the cluster, as GET shows it', '400': BAD_BODY, '404': 'a bad cluster name', '409': 'the cluster exists with another network or container manager' },
    WRITE,
  ),
  [`DELETE ${p}/cluster/{name}/`]: doc('Delete a cluster: its hosts stay registered, their devices no longer held by it', { '200': DELETED, '404': 'no such cluster' }, WRITE),
  [`GET ${p}/cluster/{name}/hosts/`]: doc('The addresses of the cluster’s hosts', { '200': 'a list of host addresses', '404': 'no such cluster' }),
  [`PUT ${p}/cluster/{name}/hosts/`]: doc(
    'Replace the whole membership `{old, new}` if `old` is the current one (compared as a set)',
    {
      '200': 'the new list of host addresses',
      '400': BAD_BODY,
      '404': 'no such cluster',
      '405': 'a host being added is neither `active` nor `disassociated` (or has no record)',
      '409': '`old` is not the current membership',
    },
    WRITE,
  ),
  [`GET ${p}/cluster/{name}/hosts/{address}/`]: doc('Membership test', { '200': '`[address]`: the host is in the cluster', '404': 'no such cluster, or the host is not in it' }),
  [`PUT ${p}/cluster/{name}/hosts/{address}/`]: doc('Add one host to the cluster (the host need not be registered yet)', { '200': '`[address]`', '404': 'no such cluster, or a bad address' }, WRITE),
  [`DELETE ${p}/cluster/{name}/hosts/{address}/`]: doc('Remove one host from the cluster', { '200': DELETED, '404': 'no such cluster, or the host is not in it' }, WRITE),
};

const OPERATION_BODY = '`{name, status: in_process|finished|failed, started_at, finished_at ("" until over), in_process: [address], <done>: [addresses]}`';

function operationDocs(kind: 'deploy' | 'upgrade' | 'restart', done: string, what: string, body: string): RouteDocs {
  return {
    [`PUT ${p}/cluster/{name}/${kind}/`]: doc(
      `Start a ${kind}: ${what}, one host at a time; the first failure fails it and stops. Body: ${body}`,
      {
        '201': OPERATION_BODY.replace('<done>', done),
        '400': kind === 'deploy' ? `${BAD_BODY}; no \`version\`, or one that names no image` : BAD_BODY,
        '404': 'no such cluster',
        '409': `a ${kind} of this cluster is in process`,
      },
      WRITE,
    ),
    [`GET ${p}/cluster/{name}/${kind}/`]: doc(`The cluster’s latest ${kind}`, { '200': OPERATION_BODY.replace('<done>', done), '404': `no such cluster, or no ${kind} of it yet` }),
  };
}

const HOST = '`{address, status, os, cpus, memory (kB), space (kB), last_check, source: ""}`; numbers 0 and `last_check` "" until investigated';
const hostPut = (where: string) => ({
  '201': `the host record ${HOST}; status \`investigating\`, then \`bootstrapping\`, \`active\` (in a cluster with a container manager) or \`disassociated\`, or \`failed\``,
  '400': `${BAD_BODY}; no \`ssh_priv_key\`${where}`,
  '404': 'the address names no labpool device (fqdn or name)',
  '409': 'the host is registered with another key, the cluster does not exist or is not the host’s, or another holder has the device',
});

const hostDocs: RouteDocs = {
  [`GET ${p}/hosts/`]: doc('Every host record (without `source`)', { '200': 'a list of host records' }),
  [`PUT ${p}/host/`]: doc(
    'Register a host at the body’s `address`, else at the caller’s own address (a device registering itself from its boot script); a re-PUT with the same key is a 201 again',
    hostPut('; no `address` and a caller address that names no host'),
    WRITE,
  ),
  [`GET ${p}/host/{address}/`]: doc('A host record', { '200': HOST, '404': 'no such host' }),
  [`PUT ${p}/host/{address}/`]: doc(
    'Register the device at `address` as a host; a re-PUT with the same key is a 201 again',
    { ...hostPut(''), '404': 'a bad address, or one that names no labpool device' },
    WRITE,
  ),
  [`DELETE ${p}/host/{address}/`]: doc('Delete a host record: it leaves its cluster and its device is freed', { '200': DELETED, '404': 'no such host' }, WRITE),
  [`GET ${p}/host/{address}/creds/`]: doc(
    'The host’s credentials, stored encrypted (needs operator or admin)',
    { '200': '`{ssh_priv_key (base64, as sent), remote_user}`', '404': 'no such host' },
    WRITE,
  ),
  [`GET ${p}/host/{address}/status/`]: doc('The host’s status', { '200': '`{type: "host_only", host: {last_check, status}, container_manager: {}}`', '404': 'no such host' }),
};

function configRecordDocs(kind: 'network' | 'containermanager', list: string, label: string, types: readonly string[]): RouteDocs {
  return {
    [`GET ${p}/${list}/`]: doc(`The names of every ${label}`, { '200': `a list of ${label} names` }),
    [`GET ${p}/${kind}/{name}/`]: doc(`A ${label}`, { '200': '`{name, type, options}`', '404': `no such ${label}` }),
    [`PUT ${p}/${kind}/{name}/`]: doc(
      `Create a ${label} \`{type: ${types.join('|')}, options?}\`; a re-PUT of the same is a 201 again`,
      { '201': '`{name, type, options}`', '400': `${BAD_BODY}; a type other than ${types.join(', ')}`, '404': 'a bad name', '409': `the ${label} exists with another type or options` },
      WRITE,
    ),
    [`DELETE ${p}/${kind}/{name}/`]: doc(`Delete a ${label}`, { '200': DELETED, '404': `no such ${label}` }, WRITE),
  };
}

/** Docs of Commissaire's routes, by `METHOD /openapi/path/`. */
export const commissaireRouteDocs: RouteDocs = {
  ...clusterDocs,
  ...operationDocs('deploy', 'deployed', 'image every host with the labpool image `version`', '`{version}`'),
  ...operationDocs('upgrade', 'upgraded', 're-image every host with its current image', '`{}`'),
  ...operationDocs('restart', 'restarted', 'power-cycle every host and wait until it answers', '`{}`'),
  ...hostDocs,
  ...configRecordDocs('network', 'networks', 'network', NETWORK_TYPES),
  ...configRecordDocs('containermanager', 'containermanagers', 'container manager', CONTAINER_MANAGER_TYPES),
};

/** The JSON schemas the routes validate request bodies with, by `METHOD /openapi/path/`. */
export const commissaireBodySchemas: Readonly<Record<string, object>> = {
  [`PUT ${p}/cluster/{name}/`]: bodies.clusterBodySchema,
  [`PUT ${p}/cluster/{name}/hosts/`]: bodies.clusterHostsBodySchema,
  [`PUT ${p}/cluster/{name}/deploy/`]: bodies.deployBodySchema,
  [`PUT ${p}/cluster/{name}/upgrade/`]: bodies.emptyBodySchema,
  [`PUT ${p}/cluster/{name}/restart/`]: bodies.emptyBodySchema,
  [`PUT ${p}/host/`]: bodies.selfHostBodySchema,
  [`PUT ${p}/host/{address}/`]: bodies.hostBodySchema,
  [`PUT ${p}/network/{name}/`]: bodies.networkBodySchema,
  [`PUT ${p}/containermanager/{name}/`]: bodies.containerManagerBodySchema,
};
