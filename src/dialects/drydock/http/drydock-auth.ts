import type { Context, Middleware } from 'koa';
import type { Role } from '../../../domain/identity/roles.js';
import { AUTH_TOKEN_HEADER, tokenHolder } from '../../../http/auth/credentials.js';
import { httpError } from '../../../http/errors.js';
import type { TokenService } from '../../../identity/token-service.js';

/** Who may read Drydock's data (any role) and who may create and terminate tasks. */
const READ_ROLES: readonly Role[] = ['admin', 'operator', 'user'];
const TASK_ROLES: readonly Role[] = ['admin', 'operator'];

/** The doors of Drydock's routes: Keystone's place is taken by labpool's tokens in `X-Auth-Token`. */
export type DrydockAccess = { readonly read: Middleware; readonly task: Middleware };

const CHALLENGE = { 'WWW-Authenticate': `${AUTH_TOKEN_HEADER} realm="drydock"` };

/**
 * As Drydock's own middleware: no token or a token it does not know is unauthenticated (401), a valid
 * token whose user lacks the role is forbidden (403). Checked before the body is read. The user's name
 * lands in `ctx.state.drydockUser` (a task's `created_by`).
 */
function requireRole(tokens: Pick<TokenService, 'verify'>, roles: readonly Role[]): Middleware {
  return async (ctx, next) => {
    const outcome = await tokenHolder(ctx, tokens);
    if (outcome.status !== 'accepted') throw httpError(401, 'Unauthenticated', { headers: CHALLENGE });
    if (!outcome.who.roles.some((role) => roles.includes(role))) throw httpError(403, 'Forbidden');
    ctx.state.drydockUser = outcome.who.user;
    await next();
  };
}

export function createDrydockAccess(tokens: Pick<TokenService, 'verify'>): DrydockAccess {
  return { read: requireRole(tokens, READ_ROLES), task: requireRole(tokens, TASK_ROLES) };
}

/** The user the access middleware let in. */
export function drydockUser(ctx: Context): string {
  const user: unknown = ctx.state.drydockUser;
  return typeof user === 'string' ? user : 'unknown';
}
