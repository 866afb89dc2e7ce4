import type { IncomingHttpHeaders } from 'node:http';
import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { DIALECTS } from '../dialects/dialects.js';
import { byLongestPrefix, createErrorHandler, formatProblem, httpError, isClientErrorStatus } from './errors.js';
import type { ErrorFormatter } from './errors.js';
import { isNestedDeeperThan, MAX_JSON_BODY_DEPTH } from './json-depth.js';
import { registerInventoryRoutes } from './labpool/inventory-routes.js';
import { DEVICE_FACTS_PREFIX, MAX_FACTS_BODY_BYTES } from './labpool/device-facts-routes.js';
import { createLabpoolAdminAccess } from './access/labpool-admin-access.js';
import { createCors } from './access/cors.js';
import { registerMetricsRoutes } from './labpool/metrics-routes.js';
import { registerOpenApiRoute } from './openapi/openapi-routes.js';
import { attachRequestLogging } from '../logging/request-logging.js';
import { registerEventTailRoutes } from './events/event-routes.js';
import { registerHistoryRoutes } from './audit/history-routes.js';
import { registerUiRoutes } from './ui/ui-routes.js';
import type { AppDeps, RegisterRoutes } from './routes.js';

export type { AppDeps, RegisterRoutes } from './routes.js';

/** How {@link createApp} is assembled; the defaults are the production app. */
export interface AppOptions {
  /** Route registrations, in order; defaults to {@link defaultRoutes}. Tests append their own. */
  readonly routes?: readonly RegisterRoutes[];
}

/** Request bodies larger than this are refused with 413 where a family sets no limit of its own. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** Body limit per path prefix, for the families (and labpool's routes) that set one; the longest matching prefix wins. */
export const bodyLimitsByPrefix: ReadonlyMap<string, number> = new Map([
  ...DIALECTS.flatMap((dialect) => (dialect.maxBodyBytes === undefined ? [] : dialect.errorPrefixes.map((prefix) => [prefix, dialect.maxBodyBytes!] as const))),
  [DEVICE_FACTS_PREFIX, MAX_FACTS_BODY_BYTES],
]);

/** Error shape per path prefix, one per API family; the longest matching prefix wins and everything else is problem+json. */
export const errorFormattersByPrefix: ReadonlyMap<string, ErrorFormatter> = new Map(DIALECTS.flatMap((dialect) => dialect.errorPrefixes.map((prefix) => [prefix, dialect.formatError] as const)));

/** Prefixes of the families whose routes check credentials before a bad body (see `Dialect.deferBodyErrors`). */
const deferredBodyErrorsByPrefix: ReadonlyMap<string, boolean> = new Map(
  DIALECTS.flatMap((dialect) => (dialect.deferBodyErrors === true ? dialect.errorPrefixes.map((prefix) => [prefix, true] as const) : [])),
);

function isDeferrableBodyError(error: unknown): boolean {
  const status = (error as { readonly status?: unknown } | null)?.status;
  return status === 400 || status === 415;
}

/** labpool's own endpoints (problem+json errors). */
export const registerLabpoolFamily: RegisterRoutes = (router, deps) => {
  if (deps.inventory !== undefined) registerInventoryRoutes(router, deps.inventory, createLabpoolAdminAccess(deps.identity));
  if (deps.metrics !== undefined) registerMetricsRoutes(router, deps.metrics);
};

/** Audit replay (`/api/device/{id}/history/`, `/api/request/{id}/history/`), read straight from the store. */
export const registerAuditFamily: RegisterRoutes = (router, deps) => {
  if (deps.store !== undefined) registerHistoryRoutes(router, deps.store);
};

/** The families' routes over the lab, after what each serves without one. */
const registerLabRoutes: RegisterRoutes = (router, deps) => {
  for (const register of deps.labRoutes ?? []) register(router, deps);
};

/** Every route labpool serves. */
export const defaultRoutes: readonly RegisterRoutes[] = [
  ...DIALECTS.map((dialect) => dialect.registerRoutes),
  registerLabRoutes,
  registerLabpoolFamily,
  registerUiRoutes,
  registerAuditFamily,
  registerEventTailRoutes,
  ...DIALECTS.flatMap((dialect) => dialect.registerFallbackRoutes ?? []),
];

/** The methods the body parser reads a body for (its default). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** No length (or 0), not chunked, not encoded: the body is empty without reading the stream. */
function hasEmptyBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return (length === undefined || length === '0') && headers['transfer-encoding'] === undefined && headers['content-encoding'] === undefined;
}

/**
 * Whatever fails while a body is read is the body's fault: a `Content-Encoding: gzip` body that is not
 * gzip fails in zlib, which sets no status, and must be a 400 like a body that is not JSON, not a 500.
 */
function refuseUnreadableBody(error: Error & { readonly status?: unknown }): never {
  throw isClientErrorStatus(error.status) ? error : httpError(400, `request body cannot be read: ${error.message}`, { cause: error });
}

function refuseDeepBody(body: unknown): void {
  if (isNestedDeeperThan(body, MAX_JSON_BODY_DEPTH)) throw httpError(400, `request body is nested deeper than ${MAX_JSON_BODY_DEPTH} levels`);
}

function createJsonBodyParser(): Koa.Middleware {
  // One parser per distinct limit, made once: the path picks its family's.
  const parsers = new Map<number, Koa.Middleware>();
  const parserFor = (limit: number) => {
    let parse = parsers.get(limit);
    if (parse === undefined) {
      parse = bodyParser({
        enableTypes: ['json'],
        jsonLimit: limit,
        // Every family labpool speaks takes JSON, and MozPool's clients post JSON without an
        // application/json Content-Type (MozPool read the body as JSON whatever the header said).
        detectJSON: () => true,
        onError: refuseUnreadableBody,
      });
      parsers.set(limit, parse);
    }
    return parse;
  };
  // Most POSTs carry no body (LifeGuard events, returns, BMM actions): they get what the parser makes
  // of an empty body (strict JSON: `{}`, raw ''), without the cost of reading an empty stream.
  return (ctx, next) => {
    if (ctx.request.body !== undefined || ctx.req.closed || !BODY_METHODS.has(ctx.method) || !hasEmptyBody(ctx.req.headers)) {
      const limit = byLongestPrefix(ctx.path, bodyLimitsByPrefix, DEFAULT_MAX_BODY_BYTES);
      // A declared length over the limit is refused before a byte of the body is read.
      if (Number(ctx.req.headers['content-length']) > limit) throw httpError(413, 'request entity too large');
      let parsed = false;
      const run = parserFor(limit)(ctx, () => {
        refuseDeepBody(ctx.request.body);
        parsed = true;
        return next();
      }) as Promise<void>;
      if (!byLongestPrefix(ctx.path, deferredBodyErrorsByPrefix, false)) return run;
      return run.catch((error: unknown) => {
        // Only a body read whole and found bad waits for the route; an error of the route itself, or a body too large, does not.
        if (parsed || !isDeferrableBodyError(error)) throw error;
        ctx.state.bodyError = error;
        ctx.request.body = undefined;
        return next();
      });
    }
    ctx.request.body = {};
    ctx.request.rawBody = '';
    return next();
  };
}

/** Builds the koa app; it does not listen, so tests drive `app.callback()` directly. */
export function createApp(deps: AppDeps, options: AppOptions = {}): Koa {
  const router = new Router();
  // Router-level middleware runs only for a matched route, so 404 and 405 win over a bad body.
  router.use(createJsonBodyParser());
  for (const register of options.routes ?? defaultRoutes) register(router, deps);
  registerOpenApiRoute(router, { version: deps.version, errorFormatters: errorFormattersByPrefix, fallbackErrorFormatter: formatProblem });
  const app = new Koa();
  attachRequestLogging(app, deps.logger);
  if (deps.corsOrigins !== undefined && deps.corsOrigins.length > 0) app.use(createCors(deps.corsOrigins));
  app.use(createErrorHandler(errorFormattersByPrefix, formatProblem));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
