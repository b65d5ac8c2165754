// The ledger at volume, the Overview's waiting suggestions and the Opportunities per campaign, in
// Debian's Chromium against the real server (embedded, demo data, no job worker): the Actions tab
// filtered by a CMO loop action type; three pause suggestions selected, "Approve 3 suggestions?"
// confirmed and reported, each row then naming who approved it; the filtered ledger downloaded as
// CSV and read back; the Overview listing what waits for a person; the Opportunities tab with one
// card per campaign in the API's order (severity, then spend), a campaign's pending suggestion
// linked to the Actions tab, a finding dismissed with a note and the dismissal undone. At 1280 px
// and 390 px, without a console error or a 5xx. Screenshots: docs/screenshots/actions.png,
// overview.png, opportunities.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS } from '../scripts/support/cli-process.ts';
import { mintToken } from '../src/auth/tokens.ts';
import { recordActions } from '../src/ledger/record.ts';
import { buildDashboard, launchChromium, settled, signedInAt, type WatchedPage } from './support/dashboard-browser.ts';
import { closeBrowserSuite, type DemoServer, startDemoServer } from './support/demo-server.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

let demo: DemoServer;
let browser: Browser;
let admin: { tenantId: string; userId: string; token: string };
const watched: WatchedPage[] = [];

interface Campaign {
  id: string;
  title: string;
  status: string;
  budget: number;
}

/** The API as the admin calls it: a GET, or a POST (with `body`, if any). */
async function api<T>(path: string, post?: { body?: object }): Promise<T> {
  const response = await fetch(`${demo.server.url}${path}`, {
    method: post ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    ...(post?.body ? { body: JSON.stringify(post.body) } : {}),
  });
  expect(response.status, path).toBeLessThan(300);
  return (await response.json()) as T;
}

const signedIn = (hash: string, width = 1280): Promise<Page> =>
  signedInAt(browser, watched, { baseUrl: demo.server.url, token: admin.token, path: hash.replace(/^#\//, ''), width });

const row = (page: Page, testId: string, id: string): Locator =>
  page.locator(`[data-testid="${testId}"][data-id="${id}"]`);
const fitsWidth = (page: Page) => page.evaluate<boolean>('document.scrollingElement.scrollWidth <= innerWidth');

/** Suggestions written straight into the ledger, as a cycle or the CMO loop would. */
let pauses: { id: string; campaign: Campaign }[];
let rewrite: { id: string; campaign: Campaign };

beforeAll(async () => {
  buildDashboard();
  demo = await startDemoServer('dashboard-actions');
  admin = {
    ...demo.admin,
    token: await mintToken(SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET, { ...demo.admin, role: 'admin' }),
  };
  // A cycle first, as a day of running would have: the demo's opportunities and suggestions exist.
  await api('/api/cycles', {});
  const active = (await api<{ data: Campaign[] }>('/api/campaigns?status=active&limit=200')).data;
  // Campaigns the cycle left nothing pending on: each of ours is the only suggestion of its campaign.
  const waiting = await api<{ data: { campaign_id: string }[] }>('/api/actions?status=pending&limit=200');
  const chosen = active.filter((c) => !waiting.data.some((a) => a.campaign_id === c.id)).slice(0, 4);
  const recorded = await demo.server.db.transaction((s) =>
    recordActions(s, admin.tenantId, {}, [
      ...chosen.slice(0, 3).map((c) => ({
        campaignId: c.id,
        actionType: 'auto_pause' as const,
        reason: `Paused "${c.title}": it loses money.`,
        previousState: { status: 'active', budget: Number(c.budget) },
        newState: { status: 'paused', budget: Number(c.budget) },
        status: 'pending' as const,
        confidence: 0.91,
        expectedImpact: 'Saves $120.00 a week',
      })),
      {
        campaignId: chosen[3]!.id,
        actionType: 'rewrite_email_subject' as const,
        reason: 'Opens fell: a shorter subject.',
        previousState: { target: 'variant_copy', field: 'subject', value: 'Old subject' },
        newState: { target: 'variant_copy', field: 'subject', value: 'New subject' },
        status: 'pending' as const,
        confidence: 0.8,
        expectedImpact: '+2 replies a week',
      },
    ]),
  );
  pauses = recorded.slice(0, 3).map((r, i) => ({ id: r.id, campaign: chosen[i]! }));
  rewrite = { id: recorded[3]!.id, campaign: chosen[3]! };
  // A critical finding on the campaign whose rewrite waits: its card leads the Opportunities tab.
  await demo.server.db.session((s) =>
    s.query(
      `INSERT INTO optimization_opportunities (tenant_id, campaign_id, opportunity_type, severity, description,
                                               suggested_action, confidence_score, evidence)
       VALUES ($1, $2, 'budget_inefficiency', 'critical', 'Spent a lot at ROI 0.40x.', 'Pause it.', 0.97,
               '{"spend": 1106.38, "revenue": 442.55, "roi": 0.4}')`,
      [admin.tenantId, rewrite.campaign.id],
    ),
  );
  browser = await launchChromium();
}, 180_000);

afterAll(() => closeBrowserSuite(browser, demo, watched));

describe('actions at volume, the overview and opportunities, in a real browser', () => {
  it('the Overview lists what waits for a person beside what the rules would do now', async () => {
    const page = await signedIn('#/overview');
    const waiting = page.getByTestId('pending-suggestion');
    await eventually(() => waiting.count()).toBeGreaterThan(0);
    const rewriteCard = waiting.filter({ hasText: rewrite.campaign.title });
    expect(await rewriteCard.textContent()).toContain('Rewrite an e-mail subject');
    expect(await rewriteCard.textContent()).toContain('Expected: +2 replies a week');
    expect(await page.getByRole('heading', { name: /^Waiting for a person \(\d+\)$/ }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: /^Underperforming campaigns/ }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
  });

  it('filters the ledger by a CMO loop action type', async () => {
    const page = await signedIn('#/actions');
    await page.getByLabel('Type').selectOption({ label: 'Rewrite an e-mail subject' });
    await eventually(() => page.getByTestId('action-row').count()).toBe(1);
    const only = row(page, 'action-row', rewrite.id);
    expect(await only.textContent()).toContain('Suggested by the engine: waiting for a person');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => page.getByTestId('action-row').count()).toBeGreaterThan(1);
  });

  it('approves three suggestions at once after "Approve 3 suggestions?", and each row names who approved it', async () => {
    const page = await signedIn('#/actions');
    for (const { id } of pauses) await row(page, 'action-row', id).getByRole('checkbox').check();
    const bar = page.getByTestId('bulk-decisions');
    expect(await bar.textContent()).toContain('3 suggestions selected');
    await bar.getByRole('button', { name: 'Approve 3' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve 3 suggestions?' });
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await eventually(() => bar.getByRole('status').textContent()).toBe('3 suggestions approved.');

    const [{ name }] = (await demo.server.db.session((s) =>
      s.query<{ name: string }>('SELECT coalesce(display_name, email) AS name FROM users WHERE id = $1', [
        admin.userId,
      ]),
    )) as [{ name: string }];
    for (const { id, campaign } of pauses) {
      const action = await api<{ status: string; decided_by_name: string }>(`/api/actions/${id}`);
      expect(action).toMatchObject({ status: 'executed', decided_by_name: name });
      expect((await api<Campaign>(`/api/campaigns/${campaign.id}`)).status).toBe('paused');
      await eventually(() => row(page, 'action-row', id).getByTestId('action-decider').allTextContents()).toContain(
        `Approved by ${name}`,
      );
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'actions.png'), fullPage: false });
  });

  it('downloads the filtered ledger as CSV', async () => {
    const page = await signedIn('#/actions');
    await page.getByLabel('Type').selectOption({ label: 'Pause' });
    await page.getByLabel('Status').selectOption({ label: 'executed' });
    await settled(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^nightshift-actions-\d{4}-\d\d-\d\d\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^created_at,action_id,campaign_id,campaign,action_type,status,/);
    for (const { id, campaign } of pauses) {
      const line = lines.find((l) => l.includes(id));
      expect(line, id).toBeDefined();
      expect(line).toContain(',auto_pause,executed,');
      expect(line).toContain(`,${Number(campaign.budget)},${Number(campaign.budget)},`);
    }
    // Only what the filter shows: every line an executed pause.
    expect(lines.slice(1).every((l) => l.includes(',auto_pause,executed,'))).toBe(true);
  });

  it('shows one card per campaign in the API’s order, links its pending suggestion, dismisses with a note and undoes it', async () => {
    const page = await signedIn('#/opportunities');
    const groups = await api<{ data: { campaign_id: string }[] }>('/api/opportunities/by-campaign');
    const shown = await page
      .getByTestId('opportunity-group')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-id')));
    expect(shown).toEqual(groups.data.map((g) => g.campaign_id));
    expect(new Set(shown).size).toBe(shown.length);

    const card = row(page, 'opportunity-group', rewrite.campaign.id);
    expect(await card.textContent()).toMatch(/spent [^0-9]*[\d,]+\.\d\d/);
    const finding = card.getByTestId('opportunity-card').filter({ hasText: 'Budget inefficiency' });
    const findingId = (await finding.getAttribute('data-id'))!;
    await finding.getByRole('button', { name: 'Dismiss' }).click();
    await finding.getByLabel('Why dismiss it?').fill('Seasonal: the spring sale ends Friday');
    await finding.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await eventually(() => finding.getByTestId('dismissal-note').textContent()).toBe(
      'Dismissed: “Seasonal: the spring sale ends Friday”',
    );
    expect(await api<{ status: string; dismissal_note: string }>(`/api/opportunities/${findingId}`)).toMatchObject({
      status: 'dismissed',
      dismissal_note: 'Seasonal: the spring sale ends Friday',
    });
    await finding.getByRole('button', { name: 'Undo dismissal' }).click();
    await eventually(async () => (await api<{ status: string }>(`/api/opportunities/${findingId}`)).status).toBe(
      'open',
    );
    await finding.getByText('Open again.').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'opportunities.png'), fullPage: false });

    // The suggestion waiting on this campaign, one click away on the Actions tab.
    await card.getByTestId('group-pending-actions').getByRole('link', { name: 'Rewrite an e-mail subject' }).click();
    await eventually(() => page.evaluate<string>('location.hash')).toBe(`#/actions/pending/${rewrite.campaign.id}`);
    await row(page, 'action-row', rewrite.id).waitFor();
    expect(await page.getByTestId('action-row').count()).toBe(1);
  });

  it('reads at 390 px: no sideways scrolling on the three tabs, the bulk bar and a dismissal note usable', async () => {
    for (const tab of ['overview', 'actions', 'opportunities']) {
      const page = await signedIn(`#/${tab}`, 390);
      expect(await fitsWidth(page), tab).toBe(true);
      if (tab === 'actions') {
        await page.getByLabel('Status').selectOption({ label: 'pending' });
        await settled(page);
        await page.getByText(/^Select all \d+ pending suggestions? shown$/).click();
        await page
          .getByTestId('bulk-decisions')
          .getByRole('button', { name: /^Dismiss \d+$/ })
          .waitFor();
        expect(await fitsWidth(page), 'actions with the bulk bar').toBe(true);
      }
      if (tab === 'opportunities') {
        await page.getByTestId('opportunity-card').first().getByRole('button', { name: 'Dismiss' }).click();
        await page.getByLabel('Why dismiss it?').waitFor();
        expect(await fitsWidth(page), 'opportunities with a note open').toBe(true);
      }
    }
  });
});
