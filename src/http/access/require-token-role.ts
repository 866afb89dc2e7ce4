import type { Middleware } from 'koa';
import type { Role } from '../../domain/identity/roles.js';
import type { TokenService } from '../../identity/token-service.js';
import { AUTH_TOKEN_HEADER, tokenHolder } from '../auth/credentials.js';
import { httpError } from '../errors.js';

/** Who may change the lab through a locked door: labpool's own write routes and, when configured, MozPool's. */
export const LAB_WRITER_ROLES: readonly Role[] = ['admin', 'operator'];

/** A 401 names the header to send; no standard scheme fits a bare token header, so the challenge names it. */
const CHALLENGE = { 'WWW-Authenticate': `${AUTH_TOKEN_HEADER} realm="labpool"` };

/**
 * Lets a request through only with a valid token (the `X-Auth-Token` header, vmpooler's `/token`)
 * whose user holds one of `roles`: 401 when it is missing or not valid, 403 when its user lacks the
 * role. Errors are thrown, so the family owning the path answers in its own shape.
 */
export function requireTokenRole(tokens: Pick<TokenService, 'verify'>, roles: readonly Role[]): Middleware {
  const wanted = roles.join(' or ');
  return async (ctx, next) => {
    const outcome = await tokenHolder(ctx, tokens);
    if (outcome.status === 'absent') throw httpError(401, `this route needs an ${AUTH_TOKEN_HEADER} header with the token of a user of role ${wanted}`, { headers: CHALLENGE });
    if (outcome.status === 'refused') throw httpError(401, `the ${AUTH_TOKEN_HEADER} token is not valid (unknown, revoked or of a user no longer configured)`, { headers: CHALLENGE });
    if (!outcome.who.roles.some((role) => roles.includes(role))) throw httpError(403, `user ${outcome.who.user} has no role ${wanted}`);
    await next();
  };
}
