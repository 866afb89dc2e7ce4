import { readJsonBody } from '../../../http/read-json-body.js';
import type { Router, RouterContext } from '@koa/router';
import type { Middleware } from 'koa';
import { asJsonObject, httpError } from '../../../http/errors.js';
import type { RouteDocs } from '../../../http/openapi/route-doc.js';
import type { DesignLoader } from '../design/design-loader.js';
import type { DesignResult } from '../design/design-messages.js';
import type { FilterableNode } from '../domain/design.js';
import { checkNodeFilterSet, NODE_FILTER_SET_SCHEMA, selectNodes } from '../domain/node-filter.js';

/** What Drydock's design routes need. */
export type DesignRouteDeps = {
  readonly loader: DesignLoader;
  /** The lab's devices as node filters see them: the nodes of every design. */
  readonly nodes: () => readonly FilterableNode[];
  /** Drydock's read access (a token of any role), run before the handler reads the body. */
  readonly read: Middleware;
  /** The clock of the messages' `ts`; default `Date.now`. */
  readonly nowMs?: () => number;
};

const VALIDATE_DESIGN = '/api/v1.0/validatedesign{/}';
const NODE_FILTER = '/api/v1.0/nodefilter{/}';

/** Drydock's validation result: a Status whose `code` matches the HTTP status (200 valid, 400 not). */
export function validationStatus(result: DesignResult, nowMs: number) {
  const ts = new Date(nowMs).toISOString();
  const errorCount = result.messages.filter((message) => message.error).length;
  return {
    kind: 'Status',
    apiVersion: 'v1.0',
    metadata: {},
    message: result.ok ? 'Site design passed validation.' : 'Site design failed validation.',
    reason: 'Validation',
    status: result.ok ? 'Success' : 'Failure',
    details: { errorCount, messageList: result.messages.map((message) => ({ kind: 'ValidationMessage', ...message, ts })) },
    code: result.ok ? 200 : 400,
  };
}

function bodyObject(ctx: RouterContext, expected: string): Readonly<Record<string, unknown>> {
  const body = asJsonObject(readJsonBody(ctx));
  if (body === undefined) throw httpError(400, `the request body must be a JSON object with ${expected}`);
  return body;
}

function requiredString(body: Readonly<Record<string, unknown>>, key: string, missing: string): string {
  const value = body[key];
  if (value === undefined || value === null || value === '') throw httpError(400, missing);
  if (typeof value !== 'string') throw httpError(400, `"${key}" must be a string`);
  return value;
}

async function validateDesignRoute(ctx: RouterContext, deps: DesignRouteDeps): Promise<void> {
  // Drydock's older clients send {"rel": "design", "href": …, "type": "application/x-yaml"}: only href matters.
  const href = requiredString(bodyObject(ctx, '"href"'), 'href', 'The "href" key must be provided in the request body.');
  const result = await deps.loader.load(href);
  ctx.status = result.ok ? 200 : 400;
  ctx.body = validationStatus(result, (deps.nowMs ?? Date.now)());
}

async function nodeFilterRoute(ctx: RouterContext, deps: DesignRouteDeps): Promise<void> {
  const body = bodyObject(ctx, '"design_ref" and an optional "node_filter"');
  const ref = requiredString(body, 'design_ref', 'Missing input required value: design_ref');
  const filter = checkNodeFilterSet(body['node_filter']);
  if (!filter.ok) throw httpError(400, filter.problems.join('; '));
  const design = await deps.loader.load(ref);
  if (!design.ok) throw httpError(400, `design_ref ${ref} cannot be used: ${design.messages.find((message) => message.error)?.message ?? 'invalid design'}`);
  ctx.body = selectNodes(filter.filter, deps.nodes());
}

/** `POST /api/v1.0/validatedesign` and `POST /api/v1.0/nodefilter` (trailing slash optional). */
export function registerDesignRoutes(router: Router, deps: DesignRouteDeps): void {
  router.post(VALIDATE_DESIGN, deps.read, (ctx) => validateDesignRoute(ctx, deps));
  router.post(NODE_FILTER, deps.read, (ctx) => nodeFilterRoute(ctx, deps));
}

const AUTH = { '401': 'no valid `X-Auth-Token`', '403': 'the token’s user has no role' };

/** OpenAPI descriptions of the design routes. */
export const designRouteDocs: RouteDocs = {
  'POST /api/v1.0/validatedesign/': {
    summary: 'Validate the design `href` names (`labpool:inventory` or `file://<name>` under the design folder; nothing remote is fetched)',
    responses: {
      '200': 'a Status: `status: "Success"`, `code: 200`, `details.messageList` with each check’s messages',
      '400': 'a Status with `status: "Failure"`, `code: 400` and the errors (document, field, line) in `details.messageList`; or no JSON object with `href`',
      ...AUTH,
    },
  },
  'POST /api/v1.0/nodefilter/': {
    summary: 'The names of the nodes a node filter selects in a design (the lab’s devices), sorted',
    responses: { '200': 'a JSON list of node names', '400': 'no `design_ref`, a bad `node_filter`, or a design that does not load', ...AUTH },
  },
};

/** JSON schemas of the design routes' bodies, for the OpenAPI document. */
export const designBodySchemas: Readonly<Record<string, object>> = {
  'POST /api/v1.0/validatedesign/': {
    type: 'object',
    required: ['href'],
    properties: {
      href: { type: 'string', minLength: 1, description: '`labpool:inventory` or `file://<name>`' },
      rel: { type: 'string', description: 'Drydock’s older form: `design` (ignored)' },
      type: { type: 'string', description: 'Drydock’s older form: `application/x-yaml` (ignored)' },
    },
  },
  'POST /api/v1.0/nodefilter/': {
    type: 'object',
    required: ['design_ref'],
    properties: { design_ref: { type: 'string', minLength: 1 }, node_filter: { anyOf: [{ type: 'null' }, NODE_FILTER_SET_SCHEMA] } },
  },
};
