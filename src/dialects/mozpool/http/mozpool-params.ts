import type { RouterContext } from '@koa/router';
import { httpError } from '../../../http/errors.js';

export { pathParam, queryValue } from '../../../http/route-params.js';
import { queryValue } from '../../../http/route-params.js';

/** MozPool tested flags by presence (`?details`, `?details=1`); `0` and `false` read as off here. */
export function isQueryFlagSet(ctx: RouterContext, name: string): boolean {
  const value = queryValue(ctx, name);
  return value !== undefined && value !== '0' && value.toLowerCase() !== 'false';
}

/** A non-negative integer query parameter, if present; 400 when it is something else. */
export function queryNonNegativeInteger(ctx: RouterContext, name: string): number | undefined {
  const value = queryValue(ctx, name);
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(value)) throw httpError(400, `${name} must be a non-negative integer, not '${value}'`);
  return Number(value);
}

/** A request id from the path; MozPool answered 400 to anything `int()` could not read. */
export function parseRequestId(raw: string): number {
  if (!/^[+-]?[0-9]{1,15}$/.test(raw)) throw httpError(400, `request id must be an integer, not '${raw}'`);
  return Number(raw);
}
