import { historyQuery } from '../../../http/openapi/operations-route-docs.js';
import type { RouteDocs } from '../../../http/openapi/route-doc.js';

/** vmpooler's streams in labpool's audit (MozPool's `{"error"}` shape under `/api/`) and its pools in labpool's own family. */
export const vmpoolerOpsRouteDocs: RouteDocs = {
  'GET /api/vm/{id}/history/': {
    summary: 'Audit replay of a vmpooler checkout by VM id: its events, or its state at `at`',
    responses: { '200': 'events with time, cause and actor, or the state at `at`', '400': 'bad id or time', '404': 'no such vm' },
    query: historyQuery,
  },
  'GET /api/pool/{id}/history/': {
    summary: "Audit replay of a vmpooler pool's run-time overrides: its events, or its state at `at`",
    responses: { '200': 'events with time, cause and actor, or the state at `at`', '400': 'bad pool name or time', '404': 'no overrides were ever made to this pool' },
    query: historyQuery,
  },
  'GET /labpool/pools/': {
    summary: "vmpooler's pools: ready, pending, running and completed against each pool's size, its devices by queue, and who holds each checked-out device",
    responses: { '200': '`{"pools": [{name, alias, image, size, ready, pending, running, completed, devices, checked_out}]}`' },
  },
  'GET /labpool/pools/{name}': {
    summary: 'One vmpooler pool, as in the list',
    responses: { '200': '`{name, alias, image, size, ready, pending, running, completed, devices, checked_out}`', '404': 'no such pool (problem+json)' },
  },
};
