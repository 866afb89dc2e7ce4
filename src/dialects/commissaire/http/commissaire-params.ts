import type { RouterContext } from '@koa/router';
import type { Context } from 'koa';
import { httpError } from '../../../http/errors.js';
import type { CommissaireOutcome } from '../actors/commissaire-lab.js';
import { ADDRESS_PATTERN, NAME_PATTERN } from '../domain/commissaire-rules.js';

/** Where every Commissaire route lives. */
export const COMMISSAIRE_PREFIX = '/api/v0';

/**
 * A path parameter that must match `pattern`. Anything else names no record, so it is a 404, as in
 * Commissaire, whose router matched only these characters.
 */
function patternParam(ctx: RouterContext, name: string, pattern: RegExp): string {
  const value = ctx.params[name];
  if (value === undefined || !pattern.test(value)) throw httpError(404, `no ${name} ${JSON.stringify(value ?? '')}`);
  return value;
}

/** A cluster, network or container manager name from the path: `[A-Za-z0-9_-]+`, else 404. */
export function nameParam(ctx: RouterContext): string {
  return patternParam(ctx, 'name', NAME_PATTERN);
}

/** A host address from the path: `[A-Za-z0-9_.-]+`, else 404. */
export function addressParam(ctx: RouterContext): string {
  return patternParam(ctx, 'address', ADDRESS_PATTERN);
}

/** The value of a command that succeeded; a refusal becomes its status (the body is its reason phrase). */
export function valueOf<Value>(outcome: CommissaireOutcome<Value>): Value {
  if (!outcome.ok) throw httpError(outcome.status, outcome.message);
  return outcome.value;
}

/**
 * The caller's own address, as `PUT /host` infers it when the body names none: a host registering
 * itself from its boot script. An IPv4 caller on a dual-stack socket shows as `::ffff:a.b.c.d`.
 */
export function callerAddress(ctx: Context): string | undefined {
  const remote = ctx.request.socket.remoteAddress;
  return remote?.startsWith('::ffff:') === true ? remote.slice('::ffff:'.length) : remote;
}

/** Answers `body` as JSON with `status`. */
export function answer(ctx: Context, status: number, body: unknown): void {
  ctx.status = status;
  ctx.body = body;
}

/** What every DELETE answers: 200 with an empty list, as Commissaire did. */
export function answerDeleted(ctx: Context): void {
  answer(ctx, 200, []);
}
