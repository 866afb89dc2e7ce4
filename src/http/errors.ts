import { STATUS_CODES } from 'node:http';
import type { Context, Middleware } from 'koa';
import { findStoreUnavailable, type StoreUnavailableError } from '../store/port.js';

/** Options of an {@link HttpError} beyond its status and detail. */
export interface HttpErrorOptions {
  /** Short, fixed summary of the problem type; defaults to the status's reason phrase. */
  readonly title?: string;
  /** RFC 7807 problem type URI; `about:blank` means "nothing beyond the status". */
  readonly type?: string;
  /** Response headers the error needs, e.g. `Allow` on a 405. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/**
 * A failure a handler means to report to the client. Its `detail` is shown to the client
 * for every status, so it must not carry secrets; unexpected errors never become one verbatim.
 */
export class HttpError extends Error {
  /** HTTP status, 400–599. */
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Koa's convention: its default error logger stays quiet about exposed (client) errors. */
  readonly expose: boolean;

  constructor(status: number, detail: string, options: HttpErrorOptions = {}) {
    super(detail, { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.title = options.title ?? STATUS_CODES[status] ?? 'Error';
    this.type = options.type ?? 'about:blank';
    this.headers = options.headers ?? {};
    this.expose = status < 500;
  }
}

/** Creates an {@link HttpError}; the detail defaults to the status's reason phrase. */
export function httpError(status: number, detail?: string, options?: HttpErrorOptions): HttpError {
  return new HttpError(status, detail ?? STATUS_CODES[status] ?? 'Error', options);
}

/** An RFC 7807 problem document: labpool's own error shape. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
}

/** An error response body in one API family's dialect. */
export interface FormattedError {
  readonly contentType: string;
  /** An object is sent as JSON; a string as it is (a family whose errors are plain text). */
  readonly body: object | string;
}

/** Renders an {@link HttpError} the way one API family's clients expect to read it. */
export type ErrorFormatter = (error: HttpError) => FormattedError;

/** Whether `body`, answered with `status`, is in one API family's error shape (for tests and tools). */
export type ErrorShape = (body: unknown, status: number) => boolean;

/** `body` as a record when it is a JSON object. */
export function asJsonObject(body: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** labpool's own endpoints: RFC 7807 `application/problem+json`. */
export const formatProblem: ErrorFormatter = (error) => {
  const problem: ProblemDetails = { type: error.type, title: error.title, status: error.status, detail: error.message };
  return { contentType: 'application/problem+json', body: problem };
};

/** A problem document for `status`, as {@link formatProblem} writes it. */
export const isProblem: ErrorShape = (body, status) => {
  const problem = asJsonObject(body);
  return problem?.status === status && ['type', 'title', 'detail'].every((key) => typeof problem[key] === 'string');
};

/** The value of the longest prefix of `path` in `byPrefix`, else `fallback`: how a path finds its family. */
export function byLongestPrefix<Value>(path: string, byPrefix: ReadonlyMap<string, Value>, fallback: Value): Value {
  let longestPrefix = '';
  let selected = fallback;
  for (const [prefix, value] of byPrefix) {
    if (path.startsWith(prefix) && prefix.length > longestPrefix.length) {
      longestPrefix = prefix;
      selected = value;
    }
  }
  return selected;
}

/** The formatter of the longest prefix of `path` in `formattersByPrefix`, else `fallback`. */
export function selectErrorFormatter(path: string, formattersByPrefix: ReadonlyMap<string, ErrorFormatter>, fallback: ErrorFormatter): ErrorFormatter {
  return byLongestPrefix(path, formattersByPrefix, fallback);
}

interface StatusCarrier {
  readonly status?: unknown;
  readonly expose?: unknown;
  readonly message?: unknown;
}

/** A 4xx status, as libraries set it on what they throw. */
export function isClientErrorStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500;
}

/** How long a client is asked to wait before retrying a command the store could not write. */
export const STORE_UNAVAILABLE_RETRY_AFTER_S = 5;

/** A store that cannot write answers 503: the command was not stored, and the same command may succeed later. */
function storeUnavailable(error: StoreUnavailableError): HttpError {
  const headers = { 'Retry-After': String(STORE_UNAVAILABLE_RETRY_AFTER_S) };
  return httpError(503, error.message, { headers, cause: error });
}

/** True for the 503 of a store fault: the store's health monitor logs the fault once, not each request it fails. */
function isStoreUnavailable(error: HttpError): boolean {
  return error.status === 503 && findStoreUnavailable(error.cause) !== undefined;
}

/**
 * Turns anything thrown into an {@link HttpError}. Client errors raised by libraries (the body
 * parser, the router, `ctx.throw`) keep their 4xx status; a store that cannot write is a 503;
 * everything else is a 500 whose detail reveals nothing about the cause.
 */
export function toHttpError(thrown: unknown): HttpError {
  if (thrown instanceof HttpError) return thrown;
  const unavailable = findStoreUnavailable(thrown);
  if (unavailable !== undefined) return storeUnavailable(unavailable);
  const carrier: StatusCarrier = typeof thrown === 'object' && thrown !== null ? thrown : {};
  if (!isClientErrorStatus(carrier.status)) return httpError(500, undefined, { cause: thrown });
  // co-body marks a JSON syntax error 400 without `expose`; its message describes only the client's input.
  if (thrown instanceof SyntaxError) {
    return httpError(400, `request body is not valid JSON: ${thrown.message}`, { cause: thrown });
  }
  const detail = carrier.expose === true && typeof carrier.message === 'string' ? carrier.message : undefined;
  return httpError(carrier.status, detail, { cause: thrown });
}

/** Koa leaves 404s and the router's 405/501 as a bare status; they get a body like any other error. */
function errorFromBareStatus(ctx: Context): HttpError | undefined {
  if (ctx.status < 400 || ctx.body != null) return undefined;
  const allow = ctx.res.getHeader('Allow');
  const headers = typeof allow === 'string' ? { Allow: allow } : undefined;
  const detail = ctx.status === 404 ? `no route for ${ctx.method} ${ctx.path}` : undefined;
  return httpError(ctx.status, detail, { headers });
}

function writeError(ctx: Context, error: HttpError, formatter: ErrorFormatter): void {
  const { contentType, body } = formatter(error);
  // Headers set by a handler before it failed describe a response that never happens.
  for (const name of Object.keys(ctx.response.headers)) ctx.remove(name);
  ctx.set(error.headers);
  ctx.status = error.status;
  ctx.type = contentType;
  ctx.body = body;
}

/**
 * The app's single error path: every failure below it, thrown or left as a bare error status,
 * is answered in the dialect of the API family that owns the request's path. Errors of status
 * 500 and above are emitted as the app's `error` event (Koa logs them unless `app.silent`).
 */
export function createErrorHandler(formattersByPrefix: ReadonlyMap<string, ErrorFormatter>, fallback: ErrorFormatter = formatProblem): Middleware {
  return async function handleErrors(ctx, next) {
    let error: HttpError | undefined;
    try {
      await next();
      error = errorFromBareStatus(ctx);
    } catch (thrown) {
      error = toHttpError(thrown);
      // Koa's logger rejects non-Error values, so a thrown string is logged through its wrapper.
      if (error.status >= 500 && !isStoreUnavailable(error)) ctx.app.emit('error', thrown instanceof Error ? thrown : error, ctx);
    }
    if (error === undefined || ctx.headerSent) return;
    writeError(ctx, error, selectErrorFormatter(ctx.path, formattersByPrefix, fallback));
    // A body the parser stopped reading (over its limit) and paused: the socket would sit mid-body,
    // never freed, and hold a closing server open. The connection ends with this answer instead. A
    // body nobody touched (a 404 before parsing) is drained by Node and the connection kept.
    if (!ctx.req.complete && ctx.req.readableFlowing === false) ctx.set('Connection', 'close');
  };
}
