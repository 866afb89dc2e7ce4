import type { RouteDocs } from '../../../http/openapi/route-doc.js';
import { TASK_ACTIONS } from '../domain/task-actions.js';
import { historyQuery } from '../../../http/openapi/operations-route-docs.js';

const auth = { '401': 'no `X-Auth-Token`, or a token labpool does not know', '403': 'the token’s user lacks the role' };
const p = '/api/v1.0';

/** Docs of Drydock's version, health, task and node routes. */
export const drydockTaskRouteDocs: RouteDocs = {
  'GET /api/task/{id}/history/': {
    summary: 'Audit replay of a Drydock task or node task: its events, or its state at `at`',
    responses: { '200': 'events with time, cause and actor, or the state at `at`', '400': 'bad id or time', '404': 'no such task' },
    query: historyQuery,
  },
  'GET /versions/': { summary: 'Drydock API versions: `{"v1.0": {"path": "/api/v1.0", "status": "stable"}}`', responses: { '200': 'the versions' } },
  [`GET ${p}/health/`]: { summary: 'Health: 204 while the server answers (no token needed)', responses: { '204': 'healthy' } },
  [`GET ${p}/tasks/`]: { summary: 'Every task (parents and node tasks) as Drydock task dicts', responses: { '200': 'a list of task dicts', ...auth } },
  [`POST ${p}/tasks/`]: {
    summary: `Create a task \`{action, design_ref, node_filter?}\`; actions: ${TASK_ACTIONS.join(', ')}. Needs role operator or admin`,
    responses: { '201': 'the task dict (status `queued`), `Location` names it', '400': 'unsupported action, no design_ref, a bad node_filter or a body that is no JSON object', ...auth },
  },
  [`GET ${p}/tasks/{id}/`]: {
    summary: 'One task; with `layers` a dict of it and its subtasks by id (`init_task_id` names it)',
    responses: { '200': 'the task dict, or the layered dict', '400': 'builddata or subtaskerrors is no boolean', '404': 'no such task', ...auth },
    query: [
      { name: 'builddata', description: 'true: each task carries its `build_data`', schema: { type: 'string' } },
      { name: 'subtaskerrors', description: 'true: `subtask_errors` maps every subtask with errors to its result', schema: { type: 'string' } },
      { name: 'layers', description: '1: the task alone, 2: with its direct subtasks, -1: all', schema: { type: 'integer' } },
    ],
  },
  [`DELETE ${p}/tasks/{id}/`]: {
    summary: 'labpool: terminate a task (status `terminating`, then `terminated` once its node tasks stopped). Needs role operator or admin',
    responses: { '200': 'the task dict', '404': 'no such task', '409': 'the task is over', ...auth },
  },
  [`GET ${p}/tasks/{id}/builddata/`]: { summary: 'Build data collected by the task and its node tasks', responses: { '200': 'build data records', '404': 'none', ...auth } },
  [`GET ${p}/nodes/`]: {
    summary: 'Nodes: hostname, memory (MiB), cpu_count, status_name, boot_mac, power_state, power_address, boot_ip, and labpool’s image, tags, labels, rack',
    responses: { '200': 'a list of nodes', ...auth },
  },
  [`GET ${p}/nodes/{hostname}/builddata/`]: {
    summary: 'Build data a node reported (its hardware facts)',
    responses: { '200': 'build data records, oldest first', '404': 'none for this node', ...auth },
    query: [{ name: 'latest', description: 'true: only the newest record of each generator', schema: { type: 'string' } }],
  },
};
