// How `nightshift serve` hands out the dashboard: the page at `/` for browsers (with a strict
// content security policy), the endpoint index for JSON clients, hashed assets cached for good,
// and a plain explanation when the dashboard has not been built.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';
import { createApp } from '../src/server/app.ts';
import { TEST_INTERNAL_SECRET, TEST_JWT_SECRET, testAdPlatforms, testDeliveryDeps } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

describe('the dashboard’s static files', () => {
  const db = useTestDb();
  let built: string;
  let empty: string;
  const appOver = (dashboardDir: string) =>
    createApp({
      db: db(),
      log: createLogger('silent'),
      isAccepting: () => true,
      adPlatforms: testAdPlatforms(),
      delivery: testDeliveryDeps(),
      auth: { jwtSecret: TEST_JWT_SECRET, internalSecret: TEST_INTERNAL_SECRET },
      dashboardDir,
    });

  beforeAll(() => {
    built = mkdtempSync(join(tmpdir(), 'nightshift-web-'));
    mkdirSync(join(built, 'assets'));
    writeFileSync(
      join(built, 'index.html'),
      '<!doctype html><script type="module" src="./assets/app-1a2b.js"></script>',
    );
    writeFileSync(join(built, 'assets', 'app-1a2b.js'), 'console.log("dashboard")');
    empty = mkdtempSync(join(tmpdir(), 'nightshift-web-empty-'));
  });
  afterAll(() => {
    rmSync(built, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  it('serves the page to a browser, with a policy that allows only its own scripts and API', async () => {
    const response = await appOver(built).request('/', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('./assets/app-1a2b.js');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('reads the page on each request, so a rebuild is served without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightshift-web-rebuild-'));
    try {
      const app = appOver(dir);
      writeFileSync(join(dir, 'index.html'), 'first build');
      expect(await (await app.request('/', { headers: { accept: 'text/html' } })).text()).toBe('first build');
      writeFileSync(join(dir, 'index.html'), 'second build');
      expect(await (await app.request('/', { headers: { accept: 'text/html' } })).text()).toBe('second build');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a JSON client at / with the endpoint index', async () => {
    const response = await appOver(built).request('/', { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'nightshift', endpoints: { dashboard: '/', docs: '/docs' } });
  });

  it('serves hashed assets to be cached for good, and 404s for missing ones', async () => {
    const app = appOver(built);
    const asset = await app.request('/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log("dashboard")');
    expect((await app.request('/assets/nope.js')).status).toBe(404);
    expect((await app.request('/assets/../index.html')).status).toBe(404);
  });

  it('explains how to build the dashboard when it has not been built', async () => {
    const response = await appOver(empty).request('/', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('npm run build');
  });
});
