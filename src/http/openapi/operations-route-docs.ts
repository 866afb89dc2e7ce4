import { factsBodySchema, MAX_FACTS_BODY_BYTES } from '../labpool/device-facts-routes.js';
import { PEER_ENVELOPE_SCHEMA } from '../labpool/peer-routes.js';
import { handoverBodySchema } from '../labpool/server-routes.js';
import type { RouteDocs } from './route-doc.js';

export const historyQuery = [
  { name: 'from', description: 'ISO 8601 time: events at or after it', schema: { type: 'string', format: 'date-time' } },
  { name: 'to', description: 'ISO 8601 time: events at or before it', schema: { type: 'string', format: 'date-time' } },
  { name: 'at', description: 'ISO 8601 time: the state at that instant, folded from the stream', schema: { type: 'string', format: 'date-time' } },
];

const listOf = (description: string) => ({ description, schema: { type: 'string' } });

/** labpool's own routes: operations, audit, dashboard, inventory. */
export const operationsRouteDocs: RouteDocs = {
  'GET /api/openapi.json': { summary: 'This OpenAPI document', responses: { '200': 'OpenAPI 3.1 document' } },
  'GET /metrics': {
    summary: 'Prometheus metrics',
    responses: { '200': 'Prometheus text exposition format' },
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
  },
  'GET /api/events/': {
    summary: 'Live event tail (Server-Sent Events), resumable with Last-Event-ID',
    responses: { '200': 'an event stream: one SSE event per recorded event, its id the log position', '400': 'bad parameter' },
    contentType: 'text/event-stream',
    query: [
      { name: 'from', description: 'log position to start after; absent: live only', schema: { type: 'string', pattern: '^[0-9]+$' } },
      { name: 'category', ...listOf('stream categories (comma-separated or repeated)') },
      { name: 'device', ...listOf('device names') },
      { name: 'request', ...listOf('request ids') },
      { name: 'type', ...listOf('event types') },
    ],
  },
  'GET /api/device/{id}/history/': {
    summary: 'Audit replay of a device: its events, or its state at `at`',
    responses: { '200': 'events with time, cause and actor, or the state at `at`', '400': 'bad id or time', '404': 'no such device' },
    query: historyQuery,
  },
  'GET /api/device/{id}/boots/': {
    summary: "A device's boots, oldest first: kind, image, holder, stages, power cycles, device reports, outcome and time per stage",
    responses: { '200': '`{"boots": [...]}`, folded from the device stream', '400': 'bad id', '404': 'no such device' },
  },
  'GET /api/request/{id}/history/': {
    summary: 'Audit replay of a request: its events, or its state at `at`',
    responses: { '200': 'events with time, cause and actor, or the state at `at`', '400': 'bad id or time', '404': 'no such request' },
    query: historyQuery,
  },
  'GET /api/token/{id}/history/': {
    summary: 'Audit replay of an API token, named by its SHA-256 hash: its events, or its state at `at`',
    responses: { '200': 'events with time, cause and actor, or the state at `at`', '400': 'bad hash or time', '404': 'no such token' },
    query: historyQuery,
  },
  'GET /': { summary: 'Redirects to the dashboard', responses: { '302': 'to /ui/' } },
  'GET /ui/': { summary: 'Dashboard', responses: { '200': 'the dashboard page', '302': 'to /ui/ (from /ui)' }, contentType: 'text/html' },
  'GET /ui/{file}': { summary: 'Dashboard assets', responses: { '200': 'a static file', '404': 'no such file' }, contentType: 'application/octet-stream' },
  'POST /labpool/inventory/sync/': {
    summary: 'Re-apply the inventory file',
    responses: {
      '200': '`{"file", "devices", "retired"}`',
      '409': 'no inventory file, or the sync was refused',
      '400': 'the inventory file is unusable (a bad field, a relay_info that does not parse or names an unknown PDU model); nothing is applied',
      '401': 'users are configured and no valid `X-Auth-Token` was sent',
      '403': 'the token’s user is neither admin nor operator',
    },
    query: [{ name: 'force', description: '1 or true: retire the devices the file no longer lists even when they are many', schema: { type: 'string' } }],
  },
  'POST /labpool/peer/{kind}/{id}/': {
    summary:
      'Between the servers of one lab: a command for an actor this server owns (`device`: attach, release, transfer, image, power-cycle; `request`: an imaging result), with the lab’s peer token',
    responses: {
      '200': 'the outcome: `{"ok": true, "events", "state", "revision", "position"}` or `{"ok": false, "rejection": {"code", "message"}, "state", "revision"}`',
      '400': 'the body is not `{"command", "metadata"?}`, or the command is not one a server may send to that kind',
      '401': 'no `Authorization: Bearer <servers.peerToken>`',
      '403': 'this server has no peer token: it takes no calls from other servers',
      '404': 'no such kind',
      '409': 'another server owns the actor',
      '503': 'the actor did not answer, or the store cannot write',
    },
  },
  'GET /labpool/peer/{kind}/{id}/': {
    summary: 'Between the servers of one lab: the state of an actor this server owns, with the lab’s peer token',
    responses: { '200': '`{"state", "revision"}`', '401': 'no peer token', '403': 'this server takes no calls from other servers', '404': 'no such kind', '409': 'another server owns the actor' },
  },
  'GET /labpool/servers/': {
    summary: 'The servers of the lab: every owner of a device and every server that heartbeats, with when it started, its last heartbeat and its devices',
    responses: {
      '200': '`{"servers": [{"id", "startedAt", "lastHeartbeat", "alive", "devices"}]}`, sorted by id; `alive`: a heartbeat within 3 intervals; times null when never seen',
    },
  },
  'POST /labpool/servers/{id}/handover/': {
    summary: 'Hand every device of server `id` (presumed dead) over to server `to`: one `DeviceHandedOver` per device; `to` arms their deadlines, resumes their work and runs the families’ recovery',
    responses: {
      '200':
        '`{"from", "to", "handedOverAt", "devices", "holders", "refused"}`: the devices moved, the families’ actors taken over (`request 42`: MozPool requests `id` took, now run here with their expiry), and the devices refused (another server wrote them meanwhile) with why',
      '307': '`to` is another server: post the same body to `Location`, where the handover runs',
      '400': 'the body is not `{"to": "host:port", "force"?: boolean}`, or `to` is `id`',
      '401': 'users are configured and no valid `X-Auth-Token` was sent',
      '403': 'the token’s user is not an admin',
      '404': 'no such server: it owns no device, none was handed over from it, and it never heartbeat',
      '409': 'server `id` is alive (it heartbeat recently): stop it, or send `"force": true`',
    },
  },
  'POST /labpool/devices/{name}/facts/': {
    summary: 'A device reports its own hardware (an `lshw -json`-like report), in any state; recorded as `DeviceFactsReported` on its stream',
    responses: {
      '200': '`{"device", "generator", "format", "reportedAt", "reports"}`: recorded, the read models show it',
      '307': 'another server owns the device: post the same body to `Location`',
      '400': 'the body is not `{"generator"?: string, "facts": object}`',
      '403': 'the caller is not within `security.deviceSources`',
      '404': 'no such device, or it is retired',
      '413': `the body is larger than ${MAX_FACTS_BODY_BYTES / 1024} KiB`,
    },
  },
};

/** labpool's own body schemas, by `METHOD /openapi/path/`. */
export const operationsBodySchemas: Readonly<Record<string, object>> = {
  'POST /labpool/peer/{kind}/{id}/': PEER_ENVELOPE_SCHEMA,
  'POST /labpool/devices/{name}/facts/': factsBodySchema,
  'POST /labpool/servers/{id}/handover/': handoverBodySchema,
};
