import type { RouterContext } from '@koa/router';
import { httpError } from './errors.js';

/** A path parameter the route's pattern guarantees. */
export function pathParam(ctx: RouterContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw httpError(404, `no ${name} in ${ctx.path}`);
  return value;
}

/** The first value of a query parameter, if present. */
export function queryValue(ctx: RouterContext, name: string): string | undefined {
  const value = ctx.query[name];
  return Array.isArray(value) ? value[0] : value;
}
