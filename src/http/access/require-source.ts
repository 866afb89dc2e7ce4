import type { Middleware } from 'koa';
import { httpError } from '../errors.js';
import { createAddressMatcher } from './address-blocks.js';

/**
 * Lets a request through only from a peer address within `blocks` (CIDR), else 403. The address is the
 * TCP peer's: labpool trusts no `X-Forwarded-For`, so a proxy in front of it hides the devices' addresses.
 */
export function requireSource(blocks: readonly string[], setting: string): Middleware {
  const isAllowed = createAddressMatcher(blocks);
  return (ctx, next) => {
    const address = ctx.req.socket.remoteAddress;
    if (!isAllowed(address)) throw httpError(403, `this route answers devices only: ${address ?? 'the caller'} is not within ${setting}`);
    return next();
  };
}
