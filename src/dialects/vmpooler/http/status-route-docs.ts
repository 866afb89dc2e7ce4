import type { RouteDoc, RouteDocs } from '../../../http/openapi/route-doc.js';

const dates = [
  { name: 'from', description: 'first day, YYYY-MM-DD (UTC; default today)', schema: { type: 'string', format: 'date' } },
  { name: 'to', description: 'last day, YYYY-MM-DD (UTC; default today)', schema: { type: 'string', format: 'date' } },
];

const summaryDoc = (summary: string): RouteDoc => ({
  summary,
  responses: { '200': 'overall figures and a `daily` list, one entry per day', '400': 'a date is not YYYY-MM-DD, or from is after to', '404': 'no such section or figure' },
  query: dates,
});

const created = {
  '201': '`{"ok": true, "request_id"}`: accepted, filled as pools make devices ready',
  '400': 'invalid JSON, a count that is no positive integer, or a bad request_id',
  '401': 'auth is on and no valid `X-AUTH-TOKEN` came with it',
  '403': 'a count above the per-request maximum',
  '404': '`{"ok": false, "bad_templates": [...]}`: names that are no pool or alias',
  '409': 'a request with this request_id exists',
};

/** Docs of one version's status, summary, poolstat, totalrunning and on-demand routes. */
function docsOf(version: string): RouteDocs {
  const p = `/api/${version}`;
  return {
    [`GET ${p}/status/`]: {
      summary: 'vmpooler status, live: capacity, queues, clone and boot times today, pools; `status.ok` false with `empty` when a sized pool has nothing ready',
      responses: { '200': 'the sections asked for, and always `status`' },
      query: [{ name: 'view', description: 'comma-separated sections: capacity, queue, clone, boot, pools, status', schema: { type: 'string' } }],
    },
    [`GET ${p}/summary/`]: summaryDoc('Clone and boot durations and counts, tag counts, overall and per day'),
    [`GET ${p}/summary/{section}/`]: summaryDoc('One section of the summary: boot, clone or tag'),
    [`GET ${p}/summary/{section}/{key}/`]: summaryDoc('One figure of a summary section (`duration`, `count`, or a tag name)'),
    [`GET ${p}/poolstat/`]: {
      summary: 'Ready count, size and aliases of the named pools (unknown names left out)',
      responses: { '200': '`{"pools": {name: {ready, max, alias}}}`' },
      query: [{ name: 'pool', description: 'comma-separated pool names', schema: { type: 'string' } }],
    },
    [`GET ${p}/totalrunning/`]: { summary: 'How many hosts are checked out', responses: { '200': '`{"running": n}`' } },
    [`POST ${p}/ondemandvm/`]: { summary: 'Ask for hosts on demand; the body is `{pool: count, …, "request_id"?}`', responses: created },
    [`POST ${p}/ondemandvm/{pools}`]: { summary: 'Ask for hosts on demand: `a+a+b` is two of a and one of b', responses: created },
    [`GET ${p}/ondemandvm/{id}`]: {
      summary: 'An on-demand request: per name ready and pending counts until filled, then its host names',
      responses: {
        '200': 'filled (`ready: true`, hostname lists), failed at its deadline or deleted (`message`)',
        '202': 'not filled yet: `{name: {ready, pending}}` as strings',
        '404': 'no such request',
      },
    },
    [`DELETE ${p}/ondemandvm/{id}`]: {
      summary: 'Delete an on-demand request: its hosts go to completed',
      responses: { '200': '`{"ok": true}`', '401': 'auth is on and no valid `X-AUTH-TOKEN` came with it', '404': 'no such request' },
    },
  };
}

/** vmpooler's status and on-demand routes under `/api/v1` and `/api/v3`. */
export const statusRouteDocs: RouteDocs = { ...docsOf('v1'), ...docsOf('v3') };
