import type { Router } from '@koa/router';
import type { ErrorFormatter } from '../errors.js';
import { DIALECTS } from '../../dialects/dialects.js';
import { createOpenApiDocument } from './openapi-document.js';
import { operationsBodySchemas, operationsRouteDocs } from './operations-route-docs.js';
import type { RouteDocs } from './route-doc.js';
import { listRegisteredRoutes } from './router-routes.js';

/** Every family's body schemas by `METHOD /openapi/path/`, and labpool's own; a family with ajv schemas adds its map here. */
export const bodySchemasByRoute: Readonly<Record<string, object>> = Object.fromEntries([
  ...DIALECTS.flatMap((dialect) => Object.entries(dialect.bodySchemas)),
  ...Object.entries(operationsBodySchemas),
]);

/** Every family's route descriptions; a route missing here still appears, with a generic entry. */
export const routeDocs: RouteDocs = Object.fromEntries([...DIALECTS.flatMap((dialect) => Object.entries(dialect.routeDocs)), ...Object.entries(operationsRouteDocs)]);

export interface OpenApiRouteOptions {
  readonly version: string;
  readonly errorFormatters: ReadonlyMap<string, ErrorFormatter>;
  readonly fallbackErrorFormatter: ErrorFormatter;
}

/**
 * `GET /api/openapi.json`: the document of every route on `router`. Built at the first request, when
 * every family has registered, from the router itself, so no route can be left out of it.
 */
export function registerOpenApiRoute(router: Router, options: OpenApiRouteOptions): void {
  let document: object | undefined;
  router.get('/api/openapi.json', (ctx) => {
    document ??= createOpenApiDocument(listRegisteredRoutes(router), { title: 'labpool', docs: routeDocs, bodySchemas: bodySchemasByRoute, ...options });
    ctx.body = document;
  });
}
