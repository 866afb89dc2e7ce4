import type { Router } from '@koa/router';

/** One method on one path, as the router will match it. */
export type RegisteredRoute = {
  /** Upper case: `GET`, `POST`. */
  readonly method: string;
  /** In OpenAPI syntax: `/api/device/{id}/status/`. */
  readonly path: string;
  readonly pathParams: readonly string[];
};

/**
 * The name of catch-all routes (a family's answer to any route it does not have): not operations, so
 * they are not listed.
 */
export const CATCH_ALL_ROUTE = 'catch-all';

/**
 * A router pattern in OpenAPI syntax: optional groups are documented in their present form (the
 * trailing-slash `{/}` becomes `/`, MozPool's canonical form), `:name` and `*name` become `{name}`.
 */
export function toOpenApiPath(routerPath: string): string {
  return routerPath.replace(/\{([^{}]*)\}/g, '$1').replace(/[:*]([A-Za-z_$][\w$]*)/g, '{$1}');
}

function pathParamsOf(openApiPath: string): string[] {
  return [...openApiPath.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1] ?? '');
}

/**
 * Every method and path on `router`, in registration order. Read from `router.stack` so that a route
 * added by any family appears without anyone listing it. Layers without methods (`router.use`
 * middleware) are not routes; the HEAD the router adds to every GET is not listed separately.
 * RegExp paths have no OpenAPI form and are left out; labpool registers none. Catch-alls are left out.
 */
export function listRegisteredRoutes(router: Router): RegisteredRoute[] {
  const seen = new Set<string>();
  const routes: RegisteredRoute[] = [];
  for (const layer of router.stack) {
    if (typeof layer.path !== 'string' || layer.name === CATCH_ALL_ROUTE) continue;
    const path = toOpenApiPath(layer.path);
    const methods = layer.methods.includes('GET') ? layer.methods.filter((method) => method !== 'HEAD') : layer.methods;
    for (const method of methods) {
      const key = `${method} ${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      routes.push({ method, path, pathParams: pathParamsOf(path) });
    }
  }
  return routes;
}
