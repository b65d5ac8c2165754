// Connecting social accounts from the dashboard, in Debian's Chromium against `nightshift serve`
// (embedded) whose Meta app and X app are the local stand-ins': the admin goes through Facebook
// Login (Pages and their Instagram accounts) and X's consent page and back through the callbacks,
// and the Schedules & posts page lists the accounts; reconnecting is the same consent again;
// disconnecting asks first; a refused code comes back in the provider's words; a viewer on a
// phone sees the list and no control. Embedded only, as the main dashboard suite (the API under it
// runs on both backends in api-social-accounts.test.ts).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS, startServe } from '../scripts/support/cli-process.ts';
import {
  type MetaGraphServer,
  metaFailures,
  startMetaGraphServer,
} from '../simulation/ad-platforms/meta-graph-server.ts';
import { mintToken } from '../src/auth/tokens.ts';
import {
  buildDashboard,
  launchChromium,
  openPage,
  printedSignInToken,
  type WatchedPage,
} from './support/dashboard-browser.ts';
import { type PlatformServer, startPlatformServer, X_APP } from './support/platform-servers.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');

let server: Awaited<ReturnType<typeof startServe>>;
let meta: MetaGraphServer;
let platforms: PlatformServer;
let browser: Browser;
let dataDir: string;
let adminToken: string;
const watched: WatchedPage[] = [];

async function signedIn(token: string, width = 1280): Promise<Page> {
  const opened = await openPage(browser, width);
  watched.push(opened);
  const { page } = opened;
  await page.goto(`${server.url}/#token=${token}`);
  await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#/overview');
  await page.goto(`${server.url}/#/social`);
  await page.getByRole('heading', { name: 'Social accounts', level: 2 }).waitFor();
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 30_000 }).toBe(0);
  return page;
}

const rows = (page: Page) => page.locator('[data-testid="social-account-row"]');

beforeAll(async () => {
  buildDashboard();
  meta = await startMetaGraphServer();
  meta.addPage({
    id: '104729381726354',
    name: 'Acme Coffee',
    instagram: { id: '17841405822304914', username: 'acme.coffee' },
  });
  meta.addPage({ id: '104729381726999', name: 'Acme Outlet' });
  platforms = await startPlatformServer();
  dataDir = mkdtempSync(join(tmpdir(), 'nightshift-dashboard-social-'));
  server = await startServe(
    {
      NIGHTSHIFT_DATA_DIR: dataDir,
      ...SERVER_SECRETS,
      NIGHTSHIFT_GRAPH_API_BASE_URL: `${meta.baseUrl}/v21.0`,
      NIGHTSHIFT_META_APP_ID: meta.appId,
      NIGHTSHIFT_META_APP_SECRET: meta.appSecret,
      NIGHTSHIFT_META_OAUTH_DIALOG_URL: meta.dialogOrigin,
      NIGHTSHIFT_X_API_BASE_URL: platforms.xBaseUrl,
      NIGHTSHIFT_X_CLIENT_ID: X_APP.clientId,
      NIGHTSHIFT_X_CLIENT_SECRET: X_APP.clientSecret,
      NIGHTSHIFT_X_OAUTH_AUTHORIZATION_URL: platforms.xAuthorizationUrl,
    },
    ['--no-worker'],
  );
  adminToken = await printedSignInToken(server.output);
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGINT');
  await server?.exit;
  await meta?.close();
  await platforms?.close();
  rmSync(dataDir, { recursive: true, force: true });
  expect(watched.flatMap((w) => w.problems)).toEqual([]);
});

describe('the Social accounts section in a real browser', () => {
  it('connects Facebook Pages with Instagram, and X, through their consent pages; reconnects; disconnects', async () => {
    const page = await signedIn(adminToken);
    await page.getByText('No social account is connected yet').waitFor();

    await page.getByRole('button', { name: 'Connect Facebook & Instagram' }).click();
    await expect.poll(() => page.evaluate<string>('location.hash'), { timeout: 30_000 }).toBe('#/social/connected/3');
    await page.getByText('3 accounts are connected.').waitFor();
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(3);
    expect(await rows(page).allTextContents()).toEqual([
      expect.stringMatching(/Facebook Page.*Acme Coffee.*104729381726354.*connected/),
      expect.stringMatching(/Facebook Page.*Acme Outlet.*connected/),
      expect.stringMatching(/Instagram.*@acme\.coffee.*17841405822304914.*connected/),
    ]);
    expect(page.url()).not.toMatch(/code=|state=/);

    await page.getByRole('button', { name: 'Connect X' }).click();
    await page.getByText('The account is connected.').waitFor({ timeout: 30_000 });
    const x = rows(page).filter({ hasText: '@acmecoffee' });
    await x.waitFor();
    expect(await x.textContent()).toMatch(/^X.*@acmecoffee.*connected/);
    await page.screenshot({ path: join(SCREENSHOTS, 'social-accounts.png'), fullPage: true });

    // Reconnecting is the same consent: the same four rows, connected again.
    await x.getByRole('button', { name: 'Reconnect' }).click();
    await expect.poll(() => page.evaluate<string>('location.hash'), { timeout: 30_000 }).toBe('#/social/connected/1');
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(4);

    const outlet = rows(page).filter({ hasText: 'Acme Outlet' });
    await outlet.getByRole('button', { name: 'Disconnect' }).click();
    await outlet.getByRole('button', { name: 'Disconnect Acme Outlet' }).click();
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(3);
    expect(await rows(page).filter({ hasText: 'Acme Outlet' }).count()).toBe(0);
  }, 120_000);

  it('a refused code comes back in the provider’s words; a viewer on a phone sees the list without controls', async () => {
    const page = await signedIn(adminToken);
    meta.failNext(metaFailures.invalidToken());
    await page.getByRole('button', { name: 'Connect Facebook & Instagram' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Nothing was connected.' });
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/Facebook refused the authorization code: .*Invalid OAuth access token/);

    const me = (await (
      await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${adminToken}` } })
    ).json()) as { tenant: { id: string }; user: { id: string } };
    const viewer = await mintToken(SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET, {
      tenantId: me.tenant.id,
      userId: me.user.id,
      role: 'viewer',
    });
    const narrow = await signedIn(viewer, 390);
    await expect.poll(() => rows(narrow).count()).toBe(3);
    expect(
      await narrow
        .getByRole('button')
        .filter({ hasText: /Connect|Reconnect|Disconnect/ })
        .count(),
    ).toBe(0);
    const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  }, 120_000);
});
