import type { ErrorFormatter } from '../http/errors.js';
import type { RouteDocs } from '../http/openapi/route-doc.js';
import type { AuditKind } from '../projections/audit/audit-kinds.js';
import type { RegisterRoutes } from '../http/routes.js';

/**
 * One API family labpool speaks (MozPool, then vmpooler, Drydock, Commissaire, LBaaS): everything
 * the shared HTTP app, its error path and the OpenAPI document need from it. Adding a family is its
 * folder under src/dialects/ and one line in `dialects.ts`.
 */
export interface Dialect {
  readonly name: string;
  /** Under this path prefix errors take the family's own shape (the longest matching prefix wins). */
  readonly errorPrefix: string;
  readonly formatError: ErrorFormatter;
  /** Its routes, on the app's router. */
  readonly registerRoutes: RegisterRoutes;
  /** Descriptions of its routes for the OpenAPI document, by `METHOD /openapi/path/`. */
  readonly routeDocs: RouteDocs;
  /** The JSON schemas its routes validate request bodies with, by `METHOD /openapi/path/`. */
  readonly bodySchemas: Readonly<Record<string, object>>;
  /** Its streams an audit replays (`GET /api/<category>/{id}/history/`, `labpool history <category>`). */
  readonly auditKinds: readonly AuditKind[];
}
