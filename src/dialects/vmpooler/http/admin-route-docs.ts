import type { RouteDoc, RouteDocs } from '../../../http/openapi/route-doc.js';

const TOKEN_401 = 'auth is on and no valid `X-AUTH-TOKEN` came: `{"ok": false}`';
const BASIC_401 = 'no valid HTTP Basic credentials: `{"ok": false}` and a Basic challenge';
const NO_AUTH_404 = 'no users configured (token routes exist only with auth)';
const EXPERIMENTAL_405 = 'experimental features are off';

const experimental = (summary: string, responses: Readonly<Record<string, string>>): RouteDoc => ({
  summary: `${summary} (experimental)`,
  responses: { ...responses, '401': TOKEN_401, '405': EXPERIMENTAL_405 },
});

/** vmpooler's checkout routes (`vm-routes.ts`) and the admin routes of one API version. */
function versionDocs(version: 'v1' | 'v3'): Record<string, RouteDoc> {
  const p = `/api/${version}`;
  const host = version === 'v1' ? 'short host names and a top-level `domain`' : 'FQDNs';
  return {
    [`GET ${p}/vm/`]: { summary: 'List pool names', responses: { '200': 'an array of pool names' } },
    [`POST ${p}/vm/`]: {
      summary: `Check out hosts from pools, all or nothing (${host})`,
      responses: { '200': '`{"ok": true, <pool>: {"hostname": …}}`', '400': 'invalid body', '401': 'an invalid token', '404': 'unknown pool', '503': 'a pool is short: nothing checked out' },
    },
    [`POST ${p}/vm/{pools}`]: {
      summary: `Check out hosts named in the path (\`a+a+b\`), all or nothing (${host})`,
      responses: { '200': '`{"ok": true, <pool>: {"hostname": …}}`', '400': 'bad pool name or count', '401': 'an invalid token', '404': 'unknown pool', '503': 'a pool is short: nothing checked out' },
    },
    [`GET ${p}/vm/{host}`]: { summary: 'A host: its pool, lifetime, state, tags, disks and snapshots', responses: { '200': '`{"ok": true, <host>: {...}}`', '404': 'unknown host' } },
    [`DELETE ${p}/vm/{host}`]: {
      summary: 'Return a checked-out host to its pool',
      responses: { '200': '`{"ok": true}`', '401': 'the host was checked out with a token: a valid one is needed', '404': 'no running host' },
    },
    [`PUT ${p}/vm/{host}/`]: {
      summary: 'Change a checked-out host’s lifetime (hours) and merge tags',
      responses: { '200': '`{"ok": true}`', '400': '`{"ok": false, "failure": [...]}`: what is wrong', '401': TOKEN_401, '404': 'no running host' },
    },
    [`POST ${p}/vm/{host}/disk/{size}/`]: {
      summary: 'Ask for an extra disk of `size` GB (1..2048); on bare metal only recorded',
      responses: { '202': '`{"ok": true, <host>: {"disk": "+<size>gb"}, "simulated": "…"}`', '401': TOKEN_401, '404': 'no running host, or the size is not a whole number from 1 to 2048' },
    },
    [`POST ${p}/vm/{host}/snapshot/`]: {
      summary: 'Ask for a snapshot (an image capture); on bare metal only recorded',
      responses: { '202': '`{"ok": true, <host>: {"snapshot": <32 characters>}, "simulated": "…"}`', '401': TOKEN_401, '404': 'no running host' },
    },
    [`POST ${p}/vm/{host}/snapshot/{snapshot}/`]: {
      summary: 'Ask to revert to a snapshot; on bare metal only recorded',
      responses: { '202': '`{"ok": true, "simulated": "…"}`', '401': TOKEN_401, '404': 'no running host, or no such snapshot of it' },
    },
    [`POST ${p}/token/`]: { summary: 'Create a token (HTTP Basic)', responses: { '200': '`{"ok": true, "token": <32 characters>}`', '401': BASIC_401, '404': NO_AUTH_404 } },
    [`GET ${p}/token/`]: {
      summary: 'List the user’s tokens (HTTP Basic), keyed by their SHA-256 hashes: labpool keeps no token',
      responses: { '200': '`{"ok": true, <hash>: {"created", "last"}}`', '401': BASIC_401, '404': NO_AUTH_404 },
    },
    [`GET ${p}/token/{token}/`]: {
      summary: 'A token’s user, times and running hosts (no auth)',
      responses: { '200': '`{"ok": true, <token>: {"user", "created", "last", "vms": {"running": [...]}}}`', '404': 'unknown or revoked token, or no users configured' },
    },
    [`DELETE ${p}/token/{token}/`]: {
      summary: 'Revoke a token (HTTP Basic: its owner or an admin)',
      responses: { '200': '`{"ok": true}`', '401': `${BASIC_401}; or not the owner and no admin`, '404': 'unknown token, or no users configured' },
    },
    [`GET ${p}/config/`]: { summary: 'Pools as configured, with run-time overrides applied', responses: { '200': '`{"pool_configuration": [...], "status": {"ok": true}}`' } },
    [`POST ${p}/config/poolsize/`]: experimental('Change pool sizes; the change persists', {
      '200': 'no change',
      '201': 'at least one pool changed',
      '400': '`{"ok": false, "not_configured": [pools]}`: unknown pools or bad sizes; nothing changed',
    }),
    [`DELETE ${p}/config/poolsize/{pool}/`]: experimental('Back to the configured pool size', { '200': 'no change', '201': 'the override is gone', '404': 'unknown pool' }),
    [`POST ${p}/config/pooltemplate/`]: experimental('Change the image of pools; their devices are imaged afresh', {
      '200': 'no change',
      '201': 'at least one pool changed',
      '400': '`{"ok": false, "bad_templates": [pools]}`: unknown pools or images; nothing changed',
    }),
    [`POST ${p}/poolreset/`]: experimental('Image every ready and pending device of pools afresh', {
      '201': 'reset asked',
      '400': '`{"ok": false, "bad_pools": [pools]}`: unknown pools; nothing reset',
    }),
    [`GET ${p}/restart/`]: {
      summary: 'Reload pool configuration (admin token): every pool planned again; nothing restarts',
      responses: { '200': '`{"ok": true, "message": "…"}`', '401': 'the token’s user is no admin', '404': 'no valid token' },
    },
  };
}

/** vmpooler's routes under `/api/v1` and `/api/v3`, by `METHOD /openapi/path/`. */
export const vmpoolerAdminRouteDocs: RouteDocs = { ...versionDocs('v1'), ...versionDocs('v3') };
