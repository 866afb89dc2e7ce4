import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Router, RouterContext } from '@koa/router';
import type { RegisterRoutes } from '../routes.js';

/** The dashboard's files: plain HTML, CSS and JS modules, served as they are (no build step). */
export const UI_STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/** Content type per served extension; nothing else is served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/**
 * A served file name: one flat name of letters, digits, `-` and `_` with a known extension. No `/`,
 * no `..`, no dot files, so a name can never leave the static folder.
 */
const FILE_NAME = /^[a-z0-9][a-z0-9_-]*\.([a-z]+)$/i;

/** The content type of `name` when it is a file the dashboard may serve, else undefined. */
export function uiContentType(name: string): string | undefined {
  const match = FILE_NAME.exec(name);
  return match === null ? undefined : CONTENT_TYPES[match[1]!.toLowerCase()];
}

/**
 * The dashboard's Content-Security-Policy: its own files only, no inline script or style, no eval, no
 * framing. `data:` images are its empty favicon. Styles set from scripts go through the CSSOM, which
 * the policy allows; a `style` attribute would be refused.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

async function readStatic(name: string): Promise<Buffer | undefined> {
  try {
    return await readFile(join(UI_STATIC_DIR, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Answers one static file, or leaves the 404 to the app when there is no such file. */
async function serveFile(ctx: RouterContext, name: string): Promise<void> {
  const type = uiContentType(name);
  const body = type === undefined ? undefined : await readStatic(name);
  if (type === undefined || body === undefined) return;
  ctx.type = type;
  // The files change with labpool's version only; revalidating every load keeps an upgrade visible.
  ctx.set('Cache-Control', 'no-cache');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', DASHBOARD_CSP);
  ctx.body = body;
}

function redirectToUi(ctx: RouterContext): void {
  ctx.status = 302;
  ctx.redirect('/ui/');
}

/** The operator dashboard at `/ui/` (and `/` redirects there); it talks to the public API only. */
export const registerUiRoutes: RegisterRoutes = (router: Router) => {
  router.get('/', redirectToUi);
  // The router matches `/ui` and `/ui/` alike: the page's relative links need the slash.
  router.get('/ui{/}', (ctx) => (ctx.path.endsWith('/') ? serveFile(ctx, 'index.html') : redirectToUi(ctx)));
  router.get('/ui/:file', (ctx) => serveFile(ctx, ctx.params['file'] ?? ''));
};
