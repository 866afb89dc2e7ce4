import type { QueryParamDoc, RouteDoc, RouteDocs } from '../../../http/openapi/route-doc.js';

const flag = (name: string, description: string): QueryParamDoc => ({ name, description, schema: { type: 'string' } });

const deviceRead = (summary: string, ok: string, extra: Partial<RouteDoc> = {}): RouteDoc => ({ summary, responses: { '200': ok, '404': 'no such device' }, ...extra });
const requestRead = (summary: string, ok: string): RouteDoc => ({ summary, responses: { '200': ok, '400': 'the id is not an integer', '404': 'no such request' } });

/** Operations only the owning server runs; any other server redirects with MozPool's `302`. */
function ownedOperation(summary: string, ok: Readonly<Record<string, string>>, notFound = 'no such device'): RouteDoc {
  return {
    summary,
    responses: { ...ok, '302': 'owned by another server: redirected to the same path there', '400': 'invalid body or parameter', '404': notFound, '409': 'refused in the current state' },
  };
}

/** A forced state change: the new state must be one of the LifeGuard machine's. */
function forcedState(summary: string, ok: Readonly<Record<string, string>>): RouteDoc {
  const doc = ownedOperation(summary, ok);
  return { ...doc, responses: { ...doc.responses, '400': 'invalid body, or the new state is not a LifeGuard state (the answer lists the valid ones)' } };
}

const done = { '200': 'done: `{}`' };
const noContent = { '204': 'done, no body' };

/** MozPool, LifeGuard and BMM routes under `/api/`, by `METHOD /openapi/path/`. */
export const mozpoolRouteDocs: RouteDocs = {
  'GET /api/version/': { summary: 'labpool version', responses: { '200': '`{"version": "…"}`' } },
  'GET /api/device/list/': {
    summary: 'List devices',
    responses: { '200': '`{"devices": [names]}`, or device objects with `?details`' },
    query: [flag('details', 'present (and not 0/false): device objects instead of names')],
  },
  'GET /api/image/list/': { summary: 'List images', responses: { '200': '`{"images": [...]}`' } },
  'GET /api/environment/list/': { summary: 'List environments', responses: { '200': '`{"environments": [...]}`' } },
  'POST /api/device/{id}/request/': {
    summary: 'Request a device (a name, or `any`) with an image for a duration',
    responses: {
      '200': '`{"request": {...}}`: the new request',
      '400': 'invalid body',
      '404': 'unknown device, image or environment (`any` is every environment)',
      '409': 'device busy, in another environment or owned elsewhere; no free device (in the environment)',
    },
  },
  'GET /api/device/{id}/status/': deviceRead('Device state and newest log lines', '`{"state", "status", "log"}`'),
  'GET /api/device/{id}/state/': deviceRead('Device state', '`{"state"}`; with `?cache` also `states` for the whole lab', {
    query: [flag('cache', 'present: answer from the lab-wide state map cached for 5 s')],
  }),
  'GET /api/device/{id}/log/': deviceRead('Device log', '`{"log": [...]}`', {
    query: [
      { name: 'timeperiod', description: 'only lines of the last N seconds', schema: { type: 'integer', minimum: 0 } },
      { name: 'limit', description: 'only the newest N lines', schema: { type: 'integer', minimum: 0 } },
    ],
  }),
  'GET /api/device/{id}/bootconfig/': deviceRead('Device boot config, raw', 'the boot config text'),
  'GET /api/device/{id}/config/': deviceRead('Device boot config, parsed', '`{"config": {...}}`'),
  'GET /api/device/{id}/event/{event}/': ownedOperation('Report a device event (LifeGuard)', done),
  'POST /api/device/{id}/event/{event}/': ownedOperation('Report a device event (LifeGuard); the body holds its arguments', done),
  'POST /api/device/{id}/state-change/{from}/to/{to}/': forcedState('Force a device state if it is `from` now', done),
  'POST /api/device/{id}/setstate/': forcedState('Force a device state (the spec document’s form)', noContent),
  'POST /api/device/{id}/boot/{image}/': ownedOperation('Image the device; the body is the boot config', noContent),
  'POST /api/device/{id}/bootcomplete/': ownedOperation('The booted image no longer needs its PXE config', noContent),
  'POST /api/device/{id}/power-cycle/': ownedOperation('Power cycle, PXE booting `pxe_config` if given', done),
  'GET /api/device/{id}/power-off/': ownedOperation('Power off', done),
  'POST /api/device/{id}/power-off/': ownedOperation('Power off', done),
  'GET /api/device/{id}/ping/': ownedOperation('Ping the device', { '200': '`{"success": true|false}`' }),
  'POST /api/device/{id}/clear-pxe/': ownedOperation('Remove the device’s PXE config', done),
  'POST /api/device/{id}/set-comments/': ownedOperation('Set the device’s comments', done),
  'POST /api/device/{id}/set-environment/': ownedOperation('Set the device’s environment', done),
  'GET /api/request/list/': {
    summary: 'List requests',
    responses: { '200': '`{"requests": [...]}`' },
    query: [flag('include_closed', 'present: closed requests too')],
  },
  'GET /api/request/{id}/details/': requestRead('Request details', 'the request'),
  'GET /api/request/{id}/status/': requestRead('Request state and newest log lines', '`{"state", "log"}`'),
  'GET /api/request/{id}/log/': requestRead('Request log', '`{"log": [...]}`'),
  'POST /api/request/{id}/renew/': ownedOperation('Renew: the lease ends `duration` seconds from now', noContent, 'no such request'),
  'POST /api/request/{id}/return/': ownedOperation('Return the device and close the request', noContent, 'no such request'),
  'GET /api/request/{id}/event/{event}/': ownedOperation('Send an event to the request', done, 'no such request'),
  'POST /api/request/{id}/event/{event}/': ownedOperation('Send an event to the request', done, 'no such request'),
  'GET /api/bmm/pxe_config/list/': { summary: 'List PXE configs', responses: { '200': '`{"pxe_configs": [names]}`' }, query: [flag('active_only', 'present: active ones only')] },
  'GET /api/pxe_configs/list/': { summary: 'List PXE configs (alias)', responses: { '200': '`{"pxe_configs": [names]}`' }, query: [flag('active_only', 'present: active ones only')] },
  'GET /api/bmm/pxe_config/{id}/details/': { summary: 'PXE config details', responses: { '200': '`{"details": {...}}`', '404': 'no such PXE config' } },
  'GET /api/pxe_configs/{id}/details/': { summary: 'PXE config details (alias)', responses: { '200': '`{"details": {...}}`', '404': 'no such PXE config' } },
};
