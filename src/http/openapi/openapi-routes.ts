import type { Router } from '@koa/router';
import type { ErrorFormatter } from '../errors.js';
import { mozpoolBodySchemas } from '../mozpool/mozpool-schemas.js';
import { mozpoolRouteDocs } from './mozpool-route-docs.js';
import { createOpenApiDocument } from './openapi-document.js';
import { operationsRouteDocs } from './operations-route-docs.js';
import type { RouteDocs } from './route-doc.js';
import { listRegisteredRoutes } from './router-routes.js';

/** Every family's body schemas by `METHOD /openapi/path/`; a family with ajv schemas adds its map here. */
export const bodySchemasByRoute: Readonly<Record<string, object>> = { ...mozpoolBodySchemas };

/** Every family's route descriptions; a route missing here still appears, with a generic entry. */
export const routeDocs: RouteDocs = { ...mozpoolRouteDocs, ...operationsRouteDocs };

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
