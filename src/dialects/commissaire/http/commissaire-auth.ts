import type { Context, Middleware } from 'koa';
import type { Role } from '../../../domain/identity/roles.js';
import { basicUser } from '../../../http/auth/credentials.js';
import { httpError } from '../../../http/errors.js';
import type { UserDirectory } from '../../../identity/user-directory.js';

/** Who may read Commissaire's records (any role) and who may change them or start cluster operations. */
const READ_ROLES: readonly Role[] = ['admin', 'operator', 'user'];
const WRITE_ROLES: readonly Role[] = ['admin', 'operator'];

/** The doors of Commissaire's routes: HTTP Basic against labpool's users. */
export type CommissaireAccess = { readonly read: Middleware; readonly write: Middleware };

/**
 * As Commissaire's own authentication: missing, malformed or wrong credentials are 403 `Forbidden`,
 * never 401 (its clients do not answer a challenge); so is a user without the role. Checked before the
 * body is read. The user's name lands in `ctx.state.commissaireUser` (who started an operation).
 */
function requireRole(users: Pick<UserDirectory, 'authenticate'>, roles: readonly Role[]): Middleware {
  return async (ctx, next) => {
    const outcome = await basicUser(ctx, users);
    if (outcome.status !== 'accepted' || !outcome.who.roles.some((role) => roles.includes(role))) throw httpError(403, 'Forbidden');
    ctx.state.commissaireUser = outcome.who.name;
    await next();
  };
}

export function createCommissaireAccess(users: Pick<UserDirectory, 'authenticate'>): CommissaireAccess {
  return { read: requireRole(users, READ_ROLES), write: requireRole(users, WRITE_ROLES) };
}

/** The user the access middleware let in. */
export function commissaireUser(ctx: Context): string {
  const user: unknown = ctx.state.commissaireUser;
  return typeof user === 'string' ? user : 'unknown';
}
