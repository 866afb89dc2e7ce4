import type { Middleware } from 'koa';

/** Request headers a cross-origin caller may send: JSON bodies, labpool's token, Basic auth, a request id. */
const ALLOWED_HEADERS = 'Content-Type, X-Auth-Token, Authorization, X-Request-Id';
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, DELETE';

/**
 * CORS for the configured origins only (`http.cors.origins`): their requests get
 * `Access-Control-Allow-Origin` naming them, and their preflights a 204 with what they may send. Any
 * other origin gets no CORS header, so browsers keep its pages from reading labpool's answers. No
 * credentials mode: tokens travel in a header a page must set itself. Installed outside the error
 * handler, which clears a failed response's headers: errors carry the header too, so a page can read them.
 */
export function createCors(origins: readonly string[]): Middleware {
  const allowed = new Set(origins);
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    const headers: Record<string, string> = allowed.has(origin) ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'X-Request-Id' } : {};
    if (allowed.has(origin) && ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '') {
      ctx.set({ ...headers, 'Access-Control-Allow-Methods': ALLOWED_METHODS, 'Access-Control-Allow-Headers': ALLOWED_HEADERS, 'Access-Control-Max-Age': '600', Vary: 'Origin' });
      ctx.status = 204;
      return;
    }
    // Before `next` for a streamed answer (SSE sends its headers early), after it for an error's.
    ctx.set({ ...headers, Vary: 'Origin' });
    await next();
    ctx.set(headers);
    ctx.vary('Origin');
  };
}
