import { baselineBody, createBodyCase } from './body-cases.js';
import { badJsonBody, garbageQuery, garbageSegment, placeholderSegment, wrongContentType } from './garbage.js';
import type { FuzzOperation } from './openapi-operations.js';
import type { Prng } from './prng.js';

/** One request the fuzzer sends. */
export interface FuzzCase {
  readonly method: string;
  /** Path and query exactly as they go on the wire (no normalisation of `..` or `%2e`). */
  readonly rawPath: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** What was done to the operation's request. */
  readonly mutation: string;
  /**
   * Certainly malformed, so the answer must be a 4xx: path parameters that name nothing, a method
   * the path does not take, a body that is not JSON, too large, too deep, or refused by the route's own schema.
   * Other requests may be valid by accident and are only held to "no 5xx, errors in the family's shape".
   */
  readonly mustFail: boolean;
}

/** Path parameter values that name real entities of the lab under test; used only where the request must fail anyway. */
export type KnownValues = readonly string[];

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const WRONG_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
/** Over every family's body limit (1 MiB at most). */
const HUGE_BODY_CHARS = 1_100_000;

type Parts = { readonly params?: Readonly<Record<string, string>>; readonly query?: string; readonly suffix?: string };

function pathOf(operation: FuzzOperation, parts: Parts, prng: Prng, known: KnownValues | undefined): string {
  let path = operation.path;
  for (const name of operation.pathParams) {
    const value = parts.params?.[name] ?? (known !== undefined && known.length > 0 && prng.chance(0.8) ? encodeURIComponent(prng.pick(known)) : placeholderSegment(prng));
    path = path.replace(`{${name}}`, value);
  }
  return `${path}${parts.suffix ?? ''}${parts.query === undefined ? '' : `?${parts.query}`}`;
}

function jsonHeaders(body: string | undefined): Record<string, string> {
  return body === undefined ? {} : { 'Content-Type': 'application/json' };
}

type Builder = (operation: FuzzOperation, prng: Prng, known: KnownValues) => FuzzCase | undefined;

/**
 * A body mutated from the operation's schema (missing, mistyped and extra fields, deep nesting, long
 * strings): certainly malformed when ajv or the depth limit refuses it, else maybe valid.
 */
const mutatedBody: Builder = (operation, prng, known) => {
  if (!BODY_METHODS.has(operation.method)) return undefined;
  const body = createBodyCase(operation.bodySchema, prng);
  // Known entities only when the body must be refused: a valid one would change the lab.
  return {
    method: operation.method,
    rawPath: pathOf(operation, {}, prng, body.refused ? known : undefined),
    headers: jsonHeaders(body.text),
    body: body.text,
    mutation: body.mutation,
    mustFail: body.refused,
  };
};

/** Requests that are certainly malformed (the `known` values may name real entities: the request must fail anyway). */
const MUST_FAIL: readonly Builder[] = [
  (operation, prng) => {
    if (operation.pathParams.length === 0) return undefined;
    const params = { [prng.pick(operation.pathParams)]: garbageSegment(prng) };
    const body = BODY_METHODS.has(operation.method) ? baselineBody(operation.bodySchema) : undefined;
    // The other parameters name nothing either: some take any value on a real entity (a device logs
    // and ignores an event it does not know, as MozPool's did).
    return { method: operation.method, rawPath: pathOf(operation, { params }, prng, undefined), headers: jsonHeaders(body), body, mutation: 'path: parameters that name nothing', mustFail: true };
  },
  (operation, prng) => {
    const methods = WRONG_METHODS.filter((candidate) => !operation.methodsOnPath.includes(candidate));
    if (methods.length === 0) return undefined;
    const method = prng.pick(methods);
    const body = BODY_METHODS.has(method) ? baselineBody(operation.bodySchema) : undefined;
    // Placeholders only: another route may take this method on the same path, and must find nothing.
    return { method, rawPath: pathOf(operation, {}, prng, undefined), headers: jsonHeaders(body), body, mutation: 'method: one the path does not take', mustFail: true };
  },
  (operation, prng, known) => {
    const suffix = `${operation.path.endsWith('/') ? '' : '/'}${garbageSegment(prng)}/${prng.chance(0.5) ? 'x' : ''}`;
    return { method: operation.method, rawPath: pathOf(operation, { suffix }, prng, known), headers: {}, mutation: 'path: an extra segment that names nothing', mustFail: true };
  },
  (operation, prng, known) => {
    if (!BODY_METHODS.has(operation.method)) return undefined;
    const body = badJsonBody(prng);
    const headers: Record<string, string> = prng.chance(0.7) ? { 'Content-Type': 'application/json' } : {};
    return { method: operation.method, rawPath: pathOf(operation, {}, prng, known), headers, body, mutation: 'body: not JSON', mustFail: true };
  },
  (operation, prng, known) => {
    if (!BODY_METHODS.has(operation.method)) return undefined;
    const body = prng.pick(['a=1&b=2', '<a>1</a>', '--fuzz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--fuzz--', 'plain words']);
    return { method: operation.method, rawPath: pathOf(operation, {}, prng, known), headers: { 'Content-Type': wrongContentType(prng) }, body, mutation: 'body: another content type', mustFail: true };
  },
  (operation, prng, known) => {
    if (!BODY_METHODS.has(operation.method)) return undefined;
    const headers = { 'Content-Type': 'application/json', 'Content-Encoding': prng.pick(['gzip', 'deflate', 'br', 'fuzz']) };
    return { method: operation.method, rawPath: pathOf(operation, {}, prng, known), headers, body: baselineBody(operation.bodySchema), mutation: 'body: not in its Content-Encoding', mustFail: true };
  },
  (operation, prng, known) => {
    if (!BODY_METHODS.has(operation.method)) return undefined;
    const body = JSON.stringify({ pad: 'h'.repeat(HUGE_BODY_CHARS) });
    return { method: operation.method, rawPath: pathOf(operation, {}, prng, known), headers: jsonHeaders(body), body, mutation: 'body: over every size limit', mustFail: true };
  },
];

/** Requests that may be valid by accident: placeholders in the path, so that none can change the lab. */
const MAYBE_VALID: readonly Builder[] = [
  (operation, prng) => {
    const body = BODY_METHODS.has(operation.method) ? baselineBody(operation.bodySchema) : undefined;
    return {
      method: operation.method,
      rawPath: pathOf(operation, { query: garbageQuery(prng, operation.queryParams) }, prng, undefined),
      headers: jsonHeaders(body),
      body,
      mutation: 'query: garbage',
      mustFail: false,
    };
  },
  (operation, prng) => {
    const headers = prng.pick<Record<string, string>>([
      { Accept: 'application/xml' },
      { Authorization: 'Basic %%%' },
      { Authorization: `Bearer ${'t'.repeat(4_000)}` },
      { 'X-AUTH-TOKEN': 'fuzz\u00ff' },
      { Cookie: '=;;=%00' },
      // The parser reads every body as UTF-8 whatever charset it names (MozPool's clients name none).
      { 'Content-Type': 'application/json; charset=fuzz-8' },
      { 'If-None-Match': '*' },
      { Range: 'bytes=99999-1' },
    ]);
    return { method: operation.method, rawPath: pathOf(operation, {}, prng, undefined), headers, mutation: 'headers: odd', mustFail: false };
  },
];

/** One fuzzed request for `operation`: a quarter schema-driven bodies, then about three in four certainly malformed. */
export function createFuzzCase(operation: FuzzOperation, prng: Prng, known: KnownValues): FuzzCase {
  for (;;) {
    const roll = prng.next();
    const builder = roll < 0.25 ? mutatedBody : prng.pick(roll < 0.8 ? MUST_FAIL : MAYBE_VALID);
    const fuzzCase = builder(operation, prng, known);
    if (fuzzCase !== undefined) return fuzzCase;
  }
}
