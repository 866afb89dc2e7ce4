import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import { createLogger, type Logger } from './logger.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What a client may choose as a request id: safe in a header, a log line and event metadata. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

// Ids are still given and answered when the app has no logger: the events' correlationIds need them.
const silentLogger = createLogger({ level: 'silent' });

type StateCarrier = { readonly state?: unknown };

/** The id the request-logging middleware gave this request, if it ran. */
export function requestIdOf(ctx: StateCarrier): string | undefined {
  const state = ctx.state;
  if (typeof state !== 'object' || state === null) return undefined;
  const requestId: unknown = (state as { readonly requestId?: unknown }).requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}

/** The caller's `X-Request-Id` when it is acceptable, so a request can be traced across systems; else a UUID. */
export function chooseRequestId(incoming: string): string {
  return ACCEPTED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The path as a log line may show it: vmpooler's `/token/<token>` routes carry an API token in the path,
 * and a log must not hold a usable token (the token's owner knows which one it was).
 */
export function loggablePath(path: string): string {
  return path.replace(/(\/token\/)[^/]+/gi, '$1<token>');
}

function logRequestLine(logger: Logger, ctx: Koa.Context, requestId: string, startNs: bigint): void {
  const durationMs = Math.round(Number(process.hrtime.bigint() - startNs) / 1e4) / 100;
  const path = loggablePath(ctx.path);
  logger.info({ requestId, method: ctx.method, path, status: ctx.status, durationMs }, `${ctx.method} ${path} ${ctx.status}`);
}

/**
 * Gives every request an id (`ctx.state.requestId`, the correlationId of the events it causes),
 * answers it in `X-Request-Id` and logs one line when the response is done. It must run outside the
 * error handler: that one clears the headers of a failed response, and the id belongs on errors too.
 */
export function createRequestLogger(logger: Logger): Koa.Middleware {
  return async function logRequest(ctx, next) {
    const requestId = chooseRequestId(ctx.get(REQUEST_ID_HEADER));
    const state = ctx.state as { requestId?: string };
    state.requestId = requestId;
    // Set before `next` too: a streamed response (SSE) sends its headers before it ends.
    ctx.set(REQUEST_ID_HEADER, requestId);
    const startNs = process.hrtime.bigint();
    try {
      await next();
    } finally {
      if (!ctx.headerSent) ctx.set(REQUEST_ID_HEADER, requestId);
      logRequestLine(logger, ctx, requestId, startNs);
    }
  };
}

/**
 * Request ids and request lines for `app`; server errors (the error handler's `error` events) go to
 * the logger with the request id. Without a logger, ids are still given and answered, nothing is logged,
 * and Koa keeps its own error printing.
 */
export function attachRequestLogging(app: Koa, logger: Logger | undefined): void {
  app.use(createRequestLogger(logger ?? silentLogger));
  if (logger === undefined) return;
  app.on('error', (error: unknown, ctx?: Koa.Context) => {
    logger.error({ err: error, requestId: ctx === undefined ? undefined : requestIdOf(ctx), method: ctx?.method, path: ctx === undefined ? undefined : loggablePath(ctx.path) }, 'request failed');
  });
}
