import type { Middleware } from 'koa';
import type { Identity } from '../../identity/identity.js';
import { LAB_WRITER_ROLES, requireTokenRole } from './require-token-role.js';

const passThrough: Middleware = (_ctx, next) => next();

/**
 * The lock on labpool's own write routes (`/labpool/…`): with users configured, an `X-Auth-Token` of
 * role admin or operator; with none, open, as before users existed.
 */
export function createLabpoolAdminAccess(identity: Pick<Identity, 'users' | 'tokens'> | undefined): Middleware {
  if (identity === undefined || identity.users.list().length === 0) return passThrough;
  return requireTokenRole(identity.tokens, LAB_WRITER_ROLES);
}

/**
 * The lock on labpool's routes that move the lab between servers (a handover): with users
 * configured, an `X-Auth-Token` of role admin; with none, open.
 */
export function createLabpoolAdminOnlyAccess(identity: Pick<Identity, 'users' | 'tokens'> | undefined): Middleware {
  if (identity === undefined || identity.users.list().length === 0) return passThrough;
  return requireTokenRole(identity.tokens, ['admin']);
}
