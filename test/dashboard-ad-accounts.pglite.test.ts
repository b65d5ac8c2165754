// Connecting ad accounts from the dashboard, in Debian's Chromium against `nightshift serve`
// (embedded) whose Meta app and Google OAuth client are the local stand-ins': the admin names the
// account, the browser goes through the platform's consent page and back through the callback,
// and the page lists the account; a new account's backfill shows its progress and moves on while
// the page is open; a viewer sees the list and no control. Embedded only, as the main dashboard
// suite (the API under it runs on both backends in api-ad-account-oauth.test.ts and ad-sync.test.ts).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS, startServe } from '../scripts/support/cli-process.ts';
import { type GoogleAdsServer, startGoogleAdsServer } from '../simulation/ad-platforms/google-ads-server.ts';
import {
  type MetaGraphServer,
  metaFailures,
  startMetaGraphServer,
} from '../simulation/ad-platforms/meta-graph-server.ts';
import { mintToken } from '../src/auth/tokens.ts';
import { addDays } from '../src/domain/day.ts';
import { dayIn } from '../src/services/ad-sync.ts';
import {
  buildDashboard,
  launchChromium,
  openPage,
  printedSignInToken,
  type WatchedPage,
} from './support/dashboard-browser.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');

let server: Awaited<ReturnType<typeof startServe>>;
let meta: MetaGraphServer;
let google: GoogleAdsServer;
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
  await page.goto(`${server.url}/#/ad-accounts`);
  await page.getByRole('heading', { name: 'Ad accounts', level: 1 }).waitFor();
  return page;
}

/** The API as the signed-in admin calls it. */
async function api<T>(path: string, body?: object): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 30_000 }).toBe(0);
}

beforeAll(async () => {
  buildDashboard();
  meta = await startMetaGraphServer();
  google = await startGoogleAdsServer();
  dataDir = mkdtempSync(join(tmpdir(), 'nightshift-dashboard-ads-'));
  server = await startServe(
    {
      NIGHTSHIFT_DATA_DIR: dataDir,
      ...SERVER_SECRETS,
      NIGHTSHIFT_GRAPH_API_BASE_URL: `${meta.baseUrl}/v21.0`,
      NIGHTSHIFT_META_APP_ID: meta.appId,
      NIGHTSHIFT_META_APP_SECRET: meta.appSecret,
      NIGHTSHIFT_META_OAUTH_DIALOG_URL: meta.dialogOrigin,
      NIGHTSHIFT_GOOGLE_ADS_API_BASE_URL: google.baseUrl,
      NIGHTSHIFT_GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl,
      NIGHTSHIFT_GOOGLE_OAUTH_AUTHORIZATION_URL: google.authorizationUrl,
      NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID: google.clientId,
      NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_SECRET: google.clientSecret,
      NIGHTSHIFT_GOOGLE_ADS_DEVELOPER_TOKEN: google.developerToken,
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
  await google?.close();
  rmSync(dataDir, { recursive: true, force: true });
  expect(watched.flatMap((w) => w.problems)).toEqual([]);
});

describe('the Ad accounts page in a real browser', () => {
  it('connects a Meta and a Google Ads account through the platforms’ consent pages, and lists them', async () => {
    meta.addAdAccount({ id: '6660001', name: 'Demo Social', currency: 'EUR', timezoneName: 'Europe/Paris' });
    google.world.addCustomer({ id: '6660002222', descriptiveName: 'Demo Search', currencyCode: 'USD' });
    const page = await signedIn(adminToken);
    await settled(page);
    await expect.poll(() => page.getByText('No ad account is connected yet.').count()).toBe(1);

    const consent = page.getByRole('form', { name: 'Connect by signing in' });
    await consent.getByLabel('Ad account id').fill('act_6660001');
    await consent.getByRole('button', { name: 'Connect with Meta' }).click();
    // Through the dialog and the callback, back on the page.
    await expect
      .poll(() => page.evaluate<string>('location.hash'), { timeout: 30_000 })
      .toMatch(/^#\/ad-accounts\/connected\/[0-9a-f-]{36}$/);
    await page.getByText('The account is connected.').waitFor();
    await settled(page);
    const metaRow = page.locator('[data-testid="ad-account-row"]', { hasText: 'Demo Social' });
    await metaRow.waitFor();
    expect(await metaRow.textContent()).toMatch(/Meta.*Demo Social.*act_6660001.*EUR.*connected/);
    expect(page.url()).not.toMatch(/code=|state=/);

    await consent.getByLabel('Platform').selectOption('google_ads');
    await consent.getByLabel('Customer id').fill('666-000-2222');
    await consent.getByRole('button', { name: 'Connect with Google Ads' }).click();
    await page.locator('[data-testid="ad-account-row"]', { hasText: 'Demo Search' }).waitFor({ timeout: 30_000 });
    await settled(page);

    // Test connection answers in the page; a token Meta expired shows its words on the row.
    meta.expireToken(meta.issuedTokens.at(-1)!);
    await metaRow.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => metaRow.textContent(), { timeout: 15_000 }).toMatch(/needs reconnect/);
    expect(await metaRow.textContent()).toMatch(/the access token was refused/);

    const listed = await fetch(`${server.url}/api/ad-accounts`, { headers: { authorization: `Bearer ${adminToken}` } });
    const { data } = (await listed.json()) as { data: { platform: string; status: string }[] };
    expect(data.map((a) => [a.platform, a.status])).toEqual([
      ['meta', 'needs_reconnect'],
      ['google_ads', 'connected'],
    ]);
  }, 120_000);

  it('shows a backfill’s progress and the sync’s last error, and follows the backfill to its end without a reload', async () => {
    const today = dayIn('Europe/Paris', new Date());
    const from = addDays(today, -89);
    meta.addAdAccount({ id: '6660003', name: 'Demo Backfill', currency: 'EUR', timezoneName: 'Europe/Paris' });
    const campaign = meta.addCampaign('6660003', { name: 'Always on', status: 'ACTIVE', dailyBudget: '2000' });
    for (let day = 0; day < 90; day += 1) {
      meta.setDay(campaign.id, addDays(from, day), { spend: '8.00', impressions: 500, clicks: 9 });
    }
    const connected = await api<{ id: string }>('/api/ad-accounts', {
      platform: 'meta',
      credentials: { access_token: `EAAB${'b'.repeat(60)}`, ad_account_id: 'act_6660003' },
    });
    expect(connected.status).toBe(201);
    const id = connected.body.id;
    expect((await api(`/api/ad-accounts/${id}/import`, {})).status).toBe(200);
    // Meta fails the fifth chunk's read: the backfill stops after 40 days, as a failed hourly sync would.
    meta.failNext(metaFailures.transient(), { skip: 4 });
    expect((await api(`/api/ad-accounts/${id}/sync`, {})).status).toBe(502);

    const page = await signedIn(adminToken);
    await settled(page);
    const row = page.locator('[data-testid="ad-account-row"]', { hasText: 'Demo Backfill' });
    const sync = row.getByTestId('ad-account-sync');
    await expect
      .poll(() => sync.textContent())
      .toContain(`Backfilling 90 days: 40 of 90 done, through ${addDays(from, 39)}`);
    expect(await sync.textContent()).toMatch(/Last sync failed: Meta: .*unexpected error/);
    expect(await row.getByRole('progressbar', { name: 'Backfill' }).getAttribute('value')).toBe('40');
    // The page as the README shows it: an expired token, an account not synced yet, a backfill on its way.
    await page.screenshot({ path: join(SCREENSHOTS, 'ad-accounts.png'), fullPage: true });

    // The next sync (the hourly schedule's; here asked for through the API) stores the 50 days
    // left: the open page reads the account again while its backfill runs, and shows the end.
    expect((await api(`/api/ad-accounts/${id}/sync`, {})).status).toBe(200);
    await expect.poll(() => sync.textContent(), { timeout: 20_000 }).toMatch(/^Last synced /);
    expect(await sync.textContent()).not.toMatch(/Backfilling|failed/);
    expect(await row.getByRole('progressbar').count()).toBe(0);
  }, 120_000);

  it('a consent that fails comes back with the reason; a viewer sees the list without controls', async () => {
    const page = await signedIn(adminToken);
    await settled(page);
    const consent = page.getByRole('form', { name: 'Connect by signing in' });
    await consent.getByLabel('Ad account id').fill('act_6669999');
    await consent.getByRole('button', { name: 'Connect with Meta' }).click();
    await page.getByRole('alert').filter({ hasText: 'The account was not connected.' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('alert').first().textContent()).toMatch(/Meta refused the connection/);

    const me = (await (
      await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${adminToken}` } })
    ).json()) as { tenant: { id: string }; user: { id: string } };
    const viewer = await mintToken(SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET, {
      tenantId: me.tenant.id,
      userId: me.user.id,
      role: 'viewer',
    });
    const narrow = await signedIn(viewer, 390);
    await settled(narrow);
    await narrow.locator('[data-testid="ad-account-row"]').first().waitFor();
    expect(
      await narrow
        .getByRole('button')
        .filter({ hasText: /Connect|Test connection|Import/ })
        .count(),
    ).toBe(0);
    const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  }, 120_000);
});
