/** A query parameter of one route, as the OpenAPI document lists it. */
export type QueryParamDoc = {
  readonly name: string;
  readonly description: string;
  readonly schema?: object;
};

/** What the OpenAPI document says about one route beyond what the router and the schemas tell. */
export interface RouteDoc {
  readonly summary: string;
  /** Status (or `4XX`) → description; every status ≥ 400 gets the family's error body schema. */
  readonly responses: Readonly<Record<string, string>>;
  readonly query?: readonly QueryParamDoc[];
  /** Media type of the success body; default `application/json`. */
  readonly contentType?: string;
}

/** Docs by `METHOD /openapi/path/` (`GET /api/device/{id}/status/`). */
export type RouteDocs = Readonly<Record<string, RouteDoc>>;

/** A route nobody described yet still appears, so the document never hides a route. */
export function fallbackRouteDoc(method: string, path: string): RouteDoc {
  return {
    summary: `${method} ${path} (undocumented)`,
    responses: { '200': 'success', '4XX': 'client error', '5XX': 'server error' },
  };
}
