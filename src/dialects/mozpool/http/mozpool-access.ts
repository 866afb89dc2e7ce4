import type { Middleware } from 'koa';
import type { SecurityConfig } from '../../../config/config.js';
import { forWriteMethods, WRITE_METHODS, type GuardedRoute } from '../../../http/access/guard-routes.js';
import { requireSource } from '../../../http/access/require-source.js';
import { LAB_WRITER_ROLES, requireTokenRole } from '../../../http/access/require-token-role.js';
import type { TokenService } from '../../../identity/token-service.js';

/**
 * LifeGuard's device-side routes: what a booting device's second stage calls. A device has no token,
 * so these are limited by address (`security.deviceSources`) instead.
 */
export const DEVICE_SIDE_ROUTES: ReadonlySet<string> = new Set(['/api/device/:id/event/:event{/}', '/api/device/:id/bootconfig{/}', '/api/device/:id/config{/}', '/api/device/:id/bootcomplete{/}']);

/** MozPool's GET-style commands: a GET that changes a device or a request is a write. */
export const GET_COMMAND_ROUTES: ReadonlySet<string> = new Set(['/api/device/:id/power-off{/}', '/api/request/:id/event/:event{/}']);

/** The locks MozPool's routes may be under; undefined: that door is open. */
export interface MozpoolAccess {
  /** On writes: POST/PUT/DELETE routes and the GET-style commands. */
  readonly writes?: Middleware;
  /** On the device-side routes. */
  readonly deviceSide?: Middleware;
}

/** MozPool's locks from `security`: both open by default, as MozPool's routes were. */
export function createMozpoolAccess(security: SecurityConfig | undefined, tokens: Pick<TokenService, 'verify'>): MozpoolAccess {
  const deviceSources = security?.deviceSources ?? null;
  return {
    ...(security?.mozpoolWritesNeedToken === true ? { writes: requireTokenRole(tokens, LAB_WRITER_ROLES) } : {}),
    ...(deviceSources === null ? {} : { deviceSide: requireSource(deviceSources, 'security.deviceSources') }),
  };
}

/** The lock a MozPool route is under (for `registerGuarded`); its reads get none, so they cost nothing more. */
export function mozpoolGuardOf(access: MozpoolAccess): (route: GuardedRoute) => Middleware | undefined {
  const writes = access.writes;
  const writeMethodsOnly = writes === undefined ? undefined : forWriteMethods(writes);
  return ({ path, methods }) => {
    if (DEVICE_SIDE_ROUTES.has(path)) return access.deviceSide;
    if (GET_COMMAND_ROUTES.has(path)) return writes;
    return methods.some((method) => WRITE_METHODS.has(method)) ? writeMethodsOnly : undefined;
  };
}
