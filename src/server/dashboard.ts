// The admin dashboard (web/, built by `npm run build` into web/dist) as static files: the page at
// `/`, its hashed assets under /assets/. The page talks only to the public API, so serving it is
// all the server does for it. A client asking for JSON at `/` still gets the endpoint index.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono } from 'hono';
import type { AuthEnv } from './authenticate.ts';

/** Where the build puts the dashboard, relative to this file's place in the repository. */
export const DASHBOARD_DIR = join(import.meta.dirname, '..', '..', 'web', 'dist');

/**
 * Only our own scripts, styles and API; no framing. The sign-in token arrives in the URL fragment,
 * which browsers never send: no-referrer keeps the page's address out of other sites' logs too.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Nightshift</title>
<p>The dashboard has not been built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it), then reload.
The API is at <a href="/docs">/docs</a>.</p>`;

export function dashboardRoutes(app: Hono<AuthEnv>, index: (c: Context) => Response, dir = DASHBOARD_DIR): void {
  const pagePath = join(dir, 'index.html');

  app.get('/', async (c) => {
    const accept = c.req.header('accept') ?? '';
    if (!accept.includes('text/html')) return index(c);
    // Read per request (it is under 1 KB): a rebuild names new hashed assets, and a page read
    // once at start would point at files the build removed.
    const page = await readFile(pagePath, 'utf8').catch(() => NOT_BUILT);
    return c.body(page, 200, PAGE_HEADERS);
  });
  app.get(
    '/assets/*',
    serveStatic({
      root: dir,
      // Hashed names: a file's content never changes under its name.
      onFound: (_path, c) => {
        c.header('cache-control', 'public, max-age=31536000, immutable');
        c.header('x-content-type-options', 'nosniff');
      },
    }),
  );
}
