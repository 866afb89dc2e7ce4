import type { RouteDocs } from '../../../http/openapi/route-doc.js';

const TARBALL = {
  '200': 'a gzipped tar (`application/gzip`): entry names are the asset paths, modes their permissions, owner root; empty when the node has none of this type',
  '401': 'no `X-Bootaction-Key` (answered with `WWW-Authenticate: Bootaction-Key`)',
  '403': 'the key is not the node’s key of its latest deploy',
  '404': 'no deploy issued bootactions to this node',
} as const;

const tarball = (which: 'units' | 'files') => ({
  summary: `The node’s ${which === 'units' ? 'systemd unit' : 'file'} assets of its latest deploy`,
  responses: TARBALL,
  contentType: 'application/gzip',
});

const reportDoc = {
  summary: 'A node reports on one bootaction: detail messages (repeatable), then once its final status',
  responses: {
    '200': '`{node_name, action_id, action_name, task_id, action_status}`',
    '400': 'a body that is not JSON or breaks the rules (status, details, reserved fields, unknown keys)',
    '401': 'no `X-Bootaction-Key` (answered with `WWW-Authenticate: Bootaction-Key`)',
    '403': 'a wrong key (any key that is not the node’s 64 hex characters)',
    '404': 'no such bootaction',
    '409': 'the bootaction has its final status already, or never takes one (`unreported`)',
    '413': 'a body over 64 KiB',
  },
};

/** Docs of the bootaction routes, by `METHOD /openapi/path/`. */
export const bootactionRouteDocs: RouteDocs = {
  'GET /api/v1.0/bootactions/nodes/{hostname}/units/': tarball('units'),
  'GET /api/v1.0/bootactions/nodes/{hostname}/files/': tarball('files'),
  'GET /api/v1.0/bootdata/{hostname}/units/': tarball('units'),
  'GET /api/v1.0/bootdata/{hostname}/files/': tarball('files'),
  'POST /api/v1.0/bootaction/{id}/': reportDoc,
  'POST /api/v1.0/bootactions/{id}/': { ...reportDoc, summary: `${reportDoc.summary} (the path Drydock’s own server used)` },
  'GET /api/v1.0/nodes/{hostname}/bootactions/': {
    summary: 'The bootactions of the node’s latest deploy, with their keys and report URLs',
    responses: {
      '200': '`[{action_id, action_name, action_status, action_key, report_url}]`: `report_url` is the action’s own URL to post to',
      '401': 'no valid token',
      '404': 'no deploy issued bootactions to this node',
    },
  },
};

const detail = {
  type: 'object',
  required: ['message', 'error'],
  properties: { message: { type: 'string' }, error: { type: 'boolean' } },
  propertyNames: { not: { enum: ['context', 'context_type', 'ts'] } },
  description: 'other fields are kept; `context`, `context_type` and `ts` are reserved',
} as const;

/** Body schemas of the bootaction routes, by `METHOD /openapi/path/`. */
const reportBody = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['Success', 'Failure', 'success', 'failure'] }, details: { type: 'array', items: detail } },
  additionalProperties: false,
};

export const bootactionBodySchemas: Readonly<Record<string, object>> = {
  'POST /api/v1.0/bootaction/{id}/': reportBody,
  'POST /api/v1.0/bootactions/{id}/': reportBody,
};
