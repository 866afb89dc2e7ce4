import type { Context } from 'koa';
import { tokenHolder } from '../../../http/auth/credentials.js';
import type { TokenHolder } from '../../../identity/token-service.js';
import type { VmpoolerDeps } from './vmpooler-deps.js';

/** vmpooler's auth is on when labpool has users (the simulated lab has its demo user). */
export function authConfigured(deps: VmpoolerDeps): boolean {
  return deps.identity.users.list().length > 0;
}

/** A 401 as vmpooler writes it: `{"ok": false}` and a Basic challenge. */
export function unauthorized(ctx: Context): void {
  ctx.status = 401;
  ctx.set('WWW-Authenticate', 'Basic realm="vmpooler"');
  ctx.body = { ok: false };
}

/**
 * The holder of the request's `X-AUTH-TOKEN`, when auth is on and the token is valid; null when none
 * was sent (or auth is off). Undefined after answering 401 to an invalid token.
 */
export async function optionalToken(ctx: Context, deps: VmpoolerDeps): Promise<TokenHolder | null | undefined> {
  if (!authConfigured(deps)) return null;
  const outcome = await tokenHolder(ctx, deps.identity.tokens);
  if (outcome.status === 'absent') return null;
  if (outcome.status === 'accepted') return outcome.who;
  unauthorized(ctx);
  return undefined;
}

/** A valid token when auth is on (401 otherwise, and undefined); null when auth is off. */
export async function requiredToken(ctx: Context, deps: VmpoolerDeps): Promise<TokenHolder | null | undefined> {
  const holder = await optionalToken(ctx, deps);
  if (holder === null && authConfigured(deps)) {
    unauthorized(ctx);
    return undefined;
  }
  return holder;
}
