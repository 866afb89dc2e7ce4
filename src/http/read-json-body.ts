import type { Context } from 'koa';

/**
 * The request's parsed JSON body. Under a family that defers body errors (`Dialect.deferBodyErrors`)
 * a body that could not be read is refused here, when the route asks for it, with the parser's error.
 */
export function readJsonBody(ctx: Context): unknown {
  const deferred: unknown = ctx.state.bodyError;
  if (deferred instanceof Error) throw deferred;
  return ctx.request.body;
}
