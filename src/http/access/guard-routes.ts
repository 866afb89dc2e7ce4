import type { Router } from '@koa/router';
import type { Middleware } from 'koa';

/** A route as a guard policy sees it: its router pattern (`/api/device/:id/event/:event{/}`) and methods. */
export type GuardedRoute = { readonly path: string; readonly methods: readonly string[] };

/**
 * Runs `register`, then puts the guard `guardOf` gives each route it added first in that route's
 * middleware, so a family's routes are locked by one policy without each route naming it, and a route
 * added later is under the same policy. Routes `guardOf` leaves undefined are not touched (no cost on
 * the hot reads).
 */
export function registerGuarded(router: Router, register: (router: Router) => void, guardOf: (route: GuardedRoute) => Middleware | undefined): void {
  const first = router.stack.length;
  register(router);
  for (const layer of router.stack.slice(first)) {
    const guard = typeof layer.path === 'string' ? guardOf({ path: layer.path, methods: layer.methods }) : undefined;
    if (guard !== undefined) layer.stack.unshift(guard);
  }
}

/** HTTP methods that change something. */
export const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `guard` for requests of a write method only: a route registered for GET and POST stays open to reads. */
export function forWriteMethods(guard: Middleware): Middleware {
  return async (ctx, next) => {
    if (WRITE_METHODS.has(ctx.method)) await guard(ctx, next);
    else await next();
  };
}
