// A sign-in link that does not work says so on the sign-in page, in Debian's Chromium: a token
// signed with another secret, an expired one, and a link cut short each show why and what to do
// (run `nightshift token --link` again), and the address no longer holds the token.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth/tokens.ts';
import { buildDashboard, launchChromium, openPage, type WatchedPage } from './support/dashboard-browser.ts';
import { createTenant } from './support/scenario.ts';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

describe('a sign-in link that does not work, in a real browser', () => {
  const db = useTestDb();
  let api: TestApi;
  let browser: Browser;
  const watched: WatchedPage[] = [];

  beforeAll(async () => {
    buildDashboard();
    api = await startTestApi(db());
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    // The refused /api/me is the page's own 401, which the browser logs as a failed resource.
    expect(watched.flatMap((w) => w.problems)).toEqual([]);
  });

  it('says the link is invalid or expired, and how to get a new one', async () => {
    const t = await createTenant(db());
    const claims = { tenantId: t.tenantId, role: 'admin' as const, userId: crypto.randomUUID() };
    const links = {
      'signed elsewhere': await mintToken('another-secret-of-at-least-32-characters!', claims),
      expired: await mintToken(TEST_JWT_SECRET, claims, '-1h'),
      'cut short': 'eyJhbGciOiJIUzI1NiJ9.eyJ',
    };
    for (const [what, token] of Object.entries(links)) {
      const opened = await openPage(browser, 390);
      watched.push(opened);
      const { page } = opened;
      await page.goto(`${api.url}/#token=${encodeURIComponent(token)}`);
      const alert = page.getByRole('alert');
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent(), what).toMatch(
        /^This sign-in link is invalid or has expired \(.+\)\. Run `nightshift token --link` for a new one/,
      );
      expect(await page.evaluate<string>('location.hash'), what).not.toContain(token);
      await page.context().close();
    }
  });
});
