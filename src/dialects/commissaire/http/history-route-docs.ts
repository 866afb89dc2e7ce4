import { historyQuery } from '../../../http/openapi/operations-route-docs.js';
import type { RouteDocs } from '../../../http/openapi/route-doc.js';

const history = (what: string, id: string) => ({
  summary: `Audit replay of ${what}: its events, or its state at \`at\` (credentials never appear)`,
  responses: { '200': 'events with time, cause and actor, or the state at `at`', '400': `bad time, or an id that is no ${id}`, '404': `no such ${what}` },
  query: historyQuery,
});

/** Docs of the audit replays of Commissaire's streams. */
export const commissaireHistoryRouteDocs: RouteDocs = {
  'GET /api/commhost/{id}/history/': history('a Commissaire host', 'host address'),
  'GET /api/commcluster/{id}/history/': history('a Commissaire cluster', 'cluster name'),
  'GET /api/clusterop/{id}/history/': history('a cluster operation (`<deploy|upgrade|restart>-<cluster>`)', 'operation id'),
};
