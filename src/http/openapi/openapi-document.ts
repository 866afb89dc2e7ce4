import { httpError, selectErrorFormatter, type ErrorFormatter } from '../errors.js';
import { fallbackRouteDoc, type RouteDoc, type RouteDocs } from './route-doc.js';
import type { RegisteredRoute } from './router-routes.js';

/** What the document is built from besides the routes. */
export interface OpenApiSources {
  readonly title: string;
  readonly version: string;
  readonly docs: RouteDocs;
  /** The ajv schemas the routes validate bodies with, by `METHOD /openapi/path/`. */
  readonly bodySchemas: Readonly<Record<string, object>>;
  /** The app's error dialects by path prefix, and the one for every other path. */
  readonly errorFormatters: ReadonlyMap<string, ErrorFormatter>;
  readonly fallbackErrorFormatter: ErrorFormatter;
}

type JsonObject = Record<string, unknown>;

function schemaNameOf(formatter: ErrorFormatter): string {
  return formatter.name.replace(/^format/, '') || 'Error';
}

function jsonTypeOf(value: unknown): string {
  if (typeof value === 'number') return 'integer';
  return typeof value === 'boolean' ? 'boolean' : 'string';
}

/**
 * An error dialect's body schema, read off what its formatter actually writes, so the document
 * cannot drift from the error path (`{"error": "..."}` under `/api/`, problem+json elsewhere).
 */
function errorSchemaOf(formatter: ErrorFormatter): { readonly contentType: string; readonly schema: JsonObject } {
  const { contentType, body } = formatter(httpError(404, 'an example'));
  if (typeof body === 'string') return { contentType, schema: { type: 'string' } };
  const entries = Object.entries(body as JsonObject);
  const properties = Object.fromEntries(entries.map(([key, value]) => [key, { type: jsonTypeOf(value) }]));
  return { contentType, schema: { type: 'object', required: entries.map(([key]) => key), properties } };
}

function createParameters(route: RegisteredRoute, doc: RouteDoc): JsonObject[] {
  const path = route.pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const query = (doc.query ?? []).map(({ name, description, schema }) => ({ name, in: 'query', required: false, description, schema: schema ?? { type: 'string' } }));
  return [...path, ...query];
}

/** Methods whose routes store what they are asked: each may meet a store that cannot write. */
const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const STORE_UNAVAILABLE_RESPONSE = {
  description: 'the event store cannot write (disk full, read-only, locked, unreachable): nothing was stored; retry after `Retry-After` seconds',
  headers: { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } } },
};

function createResponses(method: string, doc: RouteDoc, errorFormatter: ErrorFormatter): JsonObject {
  const error = errorSchemaOf(errorFormatter);
  const errorContent = { [error.contentType]: { schema: { $ref: `#/components/schemas/${schemaNameOf(errorFormatter)}` } } };
  const responses: JsonObject = {};
  for (const [status, description] of Object.entries(doc.responses)) {
    const isError = /^[45]/.test(status);
    const isEmpty = status === '204' || status.startsWith('3');
    const success = isEmpty ? {} : { content: { [doc.contentType ?? 'application/json']: {} } };
    responses[status] = { description, ...(isError ? { content: errorContent } : success) };
  }
  // A route's own 503 (vmpooler's short pool) keeps its description.
  if (COMMAND_METHODS.has(method) && responses['503'] === undefined) responses['503'] = { ...STORE_UNAVAILABLE_RESPONSE, content: errorContent };
  return responses;
}

function createRequestBody(schema: object | undefined): JsonObject {
  if (schema === undefined) return {};
  const required = (schema as { readonly required?: unknown }).required;
  return { requestBody: { required: Array.isArray(required) && required.length > 0, content: { 'application/json': { schema } } } };
}

/** `/api/device/{id}/status/` → `device`; `/metrics` → `metrics`: group operations by resource. */
function tagOf(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '');
  const [first = 'root', second] = segments;
  return (first === 'api' && second !== undefined ? second : first).replace(/\.json$/, '');
}

function createOperation(route: RegisteredRoute, sources: OpenApiSources): JsonObject {
  const key = `${route.method} ${route.path}`;
  const doc = sources.docs[key] ?? fallbackRouteDoc(route.method, route.path);
  const formatter = selectErrorFormatter(route.path, sources.errorFormatters, sources.fallbackErrorFormatter);
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, '')}`,
    summary: doc.summary,
    tags: [tagOf(route.path)],
    parameters: createParameters(route, doc),
    ...createRequestBody(sources.bodySchemas[key]),
    responses: createResponses(route.method, doc, formatter),
  };
}

function createErrorComponents(sources: OpenApiSources): JsonObject {
  const formatters = [...sources.errorFormatters.values(), sources.fallbackErrorFormatter];
  return Object.fromEntries(formatters.map((formatter) => [schemaNameOf(formatter), errorSchemaOf(formatter).schema]));
}

/** An OpenAPI 3.1 document (3.1 takes the ajv schemas as they are: it speaks JSON Schema) for `routes`. */
export function createOpenApiDocument(routes: readonly RegisteredRoute[], sources: OpenApiSources): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = createOperation(route, sources);
  }
  return {
    openapi: '3.1.0',
    info: { title: sources.title, version: sources.version },
    paths,
    components: { schemas: createErrorComponents(sources) },
  };
}
