// The Overview when the only losing campaign already has a pause waiting for a person (issue 26):
// the underperforming section must not read "no campaign matches a pause rule" while one does; it
// says the pause waits for approval, and "Waiting for a person" lists it with its campaign. The
// demo always has other losers, so a tenant of its own: one campaign, autopilot off, losing money.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, signedInAt, type WatchedPage } from './support/dashboard-browser.ts';
import { addStats, createCampaign, createTenant, steadyDays, type TestTenant } from './support/scenario.ts';
import { startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

describe('the Overview beside a pause waiting for approval, in a real browser', () => {
  const db = useTestDb();
  let api: TestApi;
  let browser: Browser;
  let t: TestTenant;
  let adminToken: string;
  const watched: WatchedPage[] = [];

  beforeAll(async () => {
    buildDashboard();
    api = await startTestApi(db());
    t = await createTenant(db());
    adminToken = await tokenFor(db(), t.tenantId, 'admin');
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    expect(watched.flatMap((w) => w.problems)).toEqual([]);
  });

  const text = async (page: Page, selector: string) =>
    ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('says the losing campaign’s pause waits for approval instead of "no campaign matches"', async () => {
    // ROI 0.25 over three days up to today (the dry run behind the Overview runs at today's date).
    const campaign = await createCampaign(db(), t, {
      title: 'Winter clearance',
      budget: 200,
      hoursRunning: 24 * 30,
      autopilot: false,
    });
    await addStats(db(), t, campaign, steadyDays(3, { spend: 400, revenue: 100 }), new Date());

    // Before the cycle, the dry run has it as a red card.
    const before = await signedInAt(browser, watched, { baseUrl: api.url, token: adminToken, path: 'overview' });
    await expect
      .poll(() => text(before, 'section[aria-labelledby="underperforming-heading"] h2'), { timeout: 15_000 })
      .toBe('Underperforming campaigns (1)');

    const cycle = await fetch(`${api.url}/api/cycles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(cycle.status).toBe(201);
    const { suggestions_created } = (await cycle.json()) as { suggestions_created: number };
    expect(suggestions_created).toBe(1);

    const page = await signedInAt(browser, watched, { baseUrl: api.url, token: adminToken, path: 'overview' });
    const underperforming = 'section[aria-labelledby="underperforming-heading"]';
    await expect
      .poll(() => text(page, `${underperforming} h2`), { timeout: 15_000 })
      .toBe('Underperforming campaigns (0)');
    const words = await text(page, underperforming);
    expect(words).toContain(
      'No other campaign matches a pause rule right now: 1 pause suggestion waits for approval (Waiting for a person).',
    );
    expect(words).not.toContain('No campaign matches a pause rule');
    expect(await text(page, '#pending-heading')).toBe('Waiting for a person (1)');
    const pending = page.getByTestId('pending-suggestion');
    expect(await pending.count()).toBe(1);
    expect((await pending.textContent()) ?? '').toContain('Winter clearance');
  }, 180_000);
});
