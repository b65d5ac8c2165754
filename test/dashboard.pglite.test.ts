// The admin dashboard end to end, in Debian's Chromium against `nightshift serve` with the
// embedded product's demo data: what an operator does from the browser, checked in the page and
// again through the API. Embedded only: the demo data that the page works on is loaded by the
// embedded product (the API under it runs on both backends in the other suites).
// Screenshots of every tab at 1280 px go to docs/screenshots/ (shown in the README); the
// overview's is taken first, before the cycles of the later tests have acted on its campaigns.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS, startServe } from '../scripts/support/cli-process.ts';
import { mintToken } from '../src/auth/tokens.ts';
import { buildDashboard, launchChromium, openPage, type WatchedPage } from './support/dashboard-browser.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
const TABS = [
  ['overview', 'Overview'],
  ['actions', 'Actions'],
  ['opportunities', 'Opportunities'],
  ['rules', 'Rules'],
  ['campaigns', 'Campaigns'],
  ['social', 'Schedules & posts'],
  ['jobs', 'Jobs'],
  ['agents', 'Agents'],
  ['summaries', 'Weekly summaries'],
] as const;
/** What only a member or an admin may do: a viewer's page has none of these. */
const MUTATING = /^(Run Cycle|Rollback|Approve|Dismiss|Start|Resolve|New rule|Edit|Save|Run agent|Run now|Preview)$/;

interface Action {
  id: string;
  action_type: string;
  status: string;
  campaign_id: string;
  rule_id: string | null;
  cycle_id?: string | null;
  created_at: string;
}

let server: Awaited<ReturnType<typeof startServe>>;
let browser: Browser;
let dataDir: string;
let adminToken: string;
const watched: WatchedPage[] = [];

async function api<T>(path: string, init: RequestInit = {}, token = adminToken): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function actions(query = ''): Promise<Action[]> {
  return (await api<{ data: Action[] }>(`/api/actions?limit=200${query}`)).body.data;
}

/** A signed-in page (through the sign-in link) at `width` px, on `tab`. */
async function signedIn(token: string, tab = 'overview', width = 1280): Promise<Page> {
  const opened = await openPage(browser, width);
  watched.push(opened);
  const { page } = opened;
  await page.goto(`${server.url}/#token=${token}`);
  await expect.poll(() => page.evaluate<string>('location.hash'), { timeout: 15_000 }).toBe('#/overview');
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  if (tab !== 'overview') await page.goto(`${server.url}/#/${tab}`);
  return page;
}

async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 30_000 }).toBe(0);
}

const row = (page: Page, testId: string, id: string): Locator =>
  page.locator(`[data-testid="${testId}"][data-id="${id}"]`);

beforeAll(async () => {
  buildDashboard();
  dataDir = mkdtempSync(join(tmpdir(), 'nightshift-dashboard-'));
  server = await startServe({ NIGHTSHIFT_DATA_DIR: dataDir, ...SERVER_SECRETS }, ['--no-worker']);
  // The sign-in link comes right after the URL in the banner.
  for (let waited = 0; !/#token=\S+\n/.test(server.output()); waited += 100) {
    if (waited > 60_000) throw new Error(`serve printed no sign-in link:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  adminToken = decodeURIComponent(/#token=(\S+)/.exec(server.output())![1]!);
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGINT');
  await server?.exit;
  rmSync(dataDir, { recursive: true, force: true });
  // Every page of every test: no console error, no uncaught exception, no 5xx.
  expect(watched.flatMap((w) => w.problems)).toEqual([]);
});

describe('the dashboard in a real browser', () => {
  it('signs in from the link, takes the token out of the address, and shows the overview', async () => {
    const page = await signedIn(adminToken);
    expect(page.url()).not.toContain('token=');
    expect(await page.evaluate(() => sessionStorage.getItem('nightshift.sessions'))).toContain(adminToken);
    for (const label of ['Total Actions', 'Paused', 'Scaled', 'Posted', 'Open Opportunities', 'Avg Confidence']) {
      await expect.poll(() => page.getByText(label, { exact: true }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    }
    await settled(page);
    await expect.poll(() => page.getByRole('img', { name: /spend vs revenue/i }).count(), { timeout: 15_000 }).toBe(1);
    // Before any cycle has acted, the red and green cards have campaigns to show.
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
  });

  it('a rule switched off in the page is left out of the next cycle', async () => {
    const { body: rules } = await api<{ data: { id: string; rule_name: string; is_active: boolean }[] }>('/api/rules');
    // The active rules that would act on some campaign now.
    const acting: { id: string; rule_name: string }[] = [];
    for (const rule of rules.data.filter((r) => r.is_active)) {
      const preview = await api<{ decisions: unknown[] }>(`/api/rules/${rule.id}/preview`, { method: 'POST' });
      if (preview.body.decisions.length > 0) acting.push(rule);
    }
    expect(acting.length, 'some demo rule acts now').toBeGreaterThan(0);
    const page = await signedIn(adminToken, 'rules');
    await settled(page);
    for (const rule of acting) {
      const toggle = row(page, 'rule-row', rule.id).getByRole('checkbox', { name: `Active: ${rule.rule_name}` });
      await toggle.uncheck();
      await expect.poll(() => toggle.isChecked()).toBe(false);
    }
    for (const rule of acting) {
      expect((await api<{ is_active: boolean }>(`/api/rules/${rule.id}`)).body.is_active).toBe(false);
    }
    const before = await actions();
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await settled(page);
    await page.getByRole('button', { name: 'Run Cycle' }).click();
    await expect.poll(() => page.getByText(/Last run: \d{2}:\d{2}:\d{2}/).count(), { timeout: 60_000 }).toBe(1);
    const fresh = (await actions()).filter((a) => !before.some((b) => b.id === a.id));
    expect(fresh.filter((a) => acting.some((r) => r.id === a.rule_id))).toEqual([]);
    // Switched on again from the page: the cycles below act as the demo's rules say.
    await page.getByRole('link', { name: 'Rules', exact: true }).click();
    await settled(page);
    for (const rule of acting) {
      const toggle = row(page, 'rule-row', rule.id).getByRole('checkbox', { name: `Active: ${rule.rule_name}` });
      await toggle.check();
      await expect
        .poll(async () => (await api<{ is_active: boolean }>(`/api/rules/${rule.id}`)).body.is_active)
        .toBe(true);
    }
  });

  it('a rule’s preview shows its backtest: the money per rule, as the API reports it', async () => {
    const { body: rules } = await api<{ data: { id: string; rule_name: string }[] }>('/api/rules');
    const rule = rules.data[0]!;
    const page = await signedIn(adminToken, 'rules');
    await settled(page);
    await row(page, 'rule-row', rule.id).getByRole('button', { name: 'Preview' }).click();
    const backtest = page.locator('.rule-backtest');
    await backtest.waitFor({ timeout: 30_000 });
    // The period as dates a person reads ("Nov 8, 2026 – Dec 7, 2026"), not ISO.
    expect(await backtest.getByRole('heading').innerText()).toMatch(
      /^Backtest, [A-Z][a-z]{2} \d{1,2}, \d{4} – [A-Z][a-z]{2} \d{1,2}, \d{4}/,
    );
    const { body } = await api<{ backtest: { rules: { rule_name: string; net: number; net_negative: boolean }[] } }>(
      `/api/rules/${rule.id}/preview`,
      { method: 'POST' },
    );
    for (const r of body.backtest.rules) {
      await expect.poll(() => backtest.getByRole('cell', { name: r.rule_name, exact: true }).count()).toBe(1);
      expect(await backtest.getByRole('alert').count()).toBe(r.net_negative ? 1 : 0);
    }
    if (body.backtest.rules.length === 0) await backtest.getByText('It would not have paused or scaled').waitFor();
  });

  it('an admin edits the cooldowns from the Rules tab; a bad one is named next to its field', async () => {
    const page = await signedIn(adminToken, 'rules');
    await settled(page);
    await page.getByText('Cooldowns (every rule)').click();
    const budgetCooldown = page.getByLabel(/Budget changes of a campaign/);
    await budgetCooldown.fill('-1');
    await page.getByRole('button', { name: 'Save cooldowns' }).click();
    await page.locator('#cooldown-cooldown_hours-error').waitFor();
    const tenantId = (await api<{ tenant: { id: string } }>('/api/me')).body.tenant.id;
    type Guardrails = { cooldown_hours: number; dismissal_respite_days: number };
    const guardrails = async () => (await api<{ guardrails: Guardrails }>(`/api/tenants/${tenantId}`)).body.guardrails;
    expect((await guardrails()).cooldown_hours).not.toBe(-1);
    await budgetCooldown.fill('36');
    await page.getByRole('button', { name: 'Save cooldowns' }).click();
    await expect.poll(async () => (await guardrails()).cooldown_hours).toBe(36);

    // The dismissal respite is edited beside them, in whole days. (Once the form has taken the
    // save's answer: it clears what was typed then.)
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const respite = page.getByLabel(/A dismissed suggestion is not made again/);
    await respite.fill('1.5');
    await page.getByRole('button', { name: 'Save cooldowns' }).click();
    await page.locator('#cooldown-dismissal_respite_days-error').waitFor();
    await respite.fill('14');
    await page.getByRole('button', { name: 'Save cooldowns' }).click();
    await expect.poll(guardrails).toMatchObject({ cooldown_hours: 36, dismissal_respite_days: 14 });
  });

  it('Run Cycle shows the time of the run, and the new actions are listed', async () => {
    const before = await actions();
    const page = await signedIn(adminToken);
    await settled(page);
    const button = page.getByRole('button', { name: 'Run Cycle' });
    await button.click();
    await expect.poll(() => page.getByText(/Last run: \d{2}:\d{2}:\d{2}/).count(), { timeout: 60_000 }).toBe(1);
    const after = await actions();
    const fresh = after.filter((a) => !before.some((b) => b.id === a.id));
    expect(fresh.length).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Actions', exact: true }).click();
    await settled(page);
    for (const action of fresh.slice(0, 5)) await row(page, 'action-row', action.id).waitFor();
  });

  it('rolls an executed action back: its status changes in the page and in the ledger', async () => {
    const executed = (await actions('&status=executed')).filter((a) => a.action_type !== 'auto_post');
    expect(executed.length).toBeGreaterThan(0);
    // A pause: the scaled campaigns are left for the conflict below.
    const target = executed.find((a) => a.action_type === 'auto_pause') ?? executed[0]!;
    const page = await signedIn(adminToken, 'actions');
    await settled(page);
    const item = row(page, 'action-row', target.id);
    await item.getByRole('button', { name: 'Rollback' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rollback' }).click();
    await expect.poll(() => item.getByText('rolled back').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect((await api<Action>(`/api/actions/${target.id}`)).body.status).toBe('rolled_back');
  });

  it('a stale rollback shows the conflict and what changed since, and changes nothing', async () => {
    const scaled = (await actions('&status=executed&action_type=auto_scale_up'))[0];
    expect(scaled, 'the demo cycle scales at least one campaign').toBeDefined();
    const campaign = await fetch(`${server.url}/api/campaigns/${scaled!.campaign_id}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const etag = campaign.headers.get('etag')!;
    const { budget } = (await campaign.json()) as { budget: number };
    // Someone changes the budget after the engine did: the rollback would overwrite their change.
    const changed = await api(`/api/campaigns/${scaled!.campaign_id}`, {
      method: 'PATCH',
      headers: { 'if-match': etag },
      body: JSON.stringify({ budget: budget + 123 }),
    });
    expect(changed.status).toBe(200);
    const page = await signedIn(adminToken, 'actions');
    await settled(page);
    const item = row(page, 'action-row', scaled!.id);
    await item.getByRole('button', { name: 'Rollback' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rollback' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /changed/i });
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toContain(String(budget + 123).slice(0, 3));
    expect((await api<Action>(`/api/actions/${scaled!.id}`)).body.status).toBe('executed');
  });

  it('resolves an opportunity: the card and the API agree', async () => {
    const { body } = await api<{ data: { id: string; status: string }[] }>('/api/opportunities?limit=200');
    const open = body.data.find((o) => o.status === 'open' || o.status === 'in_progress');
    expect(open, 'the demo has an open opportunity').toBeDefined();
    const page = await signedIn(adminToken, 'opportunities');
    await settled(page);
    const card = row(page, 'opportunity-card', open!.id);
    await card.getByRole('button', { name: 'Resolve' }).click();
    await expect
      .poll(async () => (await api<{ status: string }>(`/api/opportunities/${open!.id}`)).body.status)
      .toBe('resolved');
    await expect
      .poll(async () => (await card.count()) === 0 || (await card.getByText('resolved').count()) > 0)
      .toBe(true);
  });

  it('runs a CMO agent and shows its answer as it streams', async () => {
    const page = await signedIn(adminToken, 'agents');
    await settled(page);
    // Count the separate updates of the streamed text: a page that waited for the whole answer
    // would show it in one.
    await page.evaluate(`
      window.streamUpdates = 0;
      new MutationObserver((records) => {
        for (const r of records) {
          const element = r.target.nodeType === 1 ? r.target : r.target.parentElement;
          if (element?.closest('pre.stream')) window.streamUpdates++;
        }
      }).observe(document.body, { subtree: true, characterData: true, childList: true });`);
    // On loopback the offline provider's whole answer lands in one read; a slow link (12 KB/s, as
    // a distant gateway trickles tokens) shows whether the page renders the text as it arrives.
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: 12 * 1024,
      uploadThroughput: -1,
    });
    await page.getByLabel('Mode').selectOption('optimization');
    await page.getByRole('button', { name: 'Run agent' }).click();
    const status = page.getByRole('status').filter({ hasText: /completed/i });
    await status.waitFor({ timeout: 60_000 });
    expect((await page.locator('pre.stream').textContent())?.length ?? 0).toBeGreaterThan(200);
    expect(await page.evaluate<number>('window.streamUpdates')).toBeGreaterThan(3);
    const runs = await api<{ data: { status: string; mode: string }[] }>('/api/agent-runs');
    expect(runs.body.data[0]).toMatchObject({ status: 'completed', mode: 'optimization' });
  }, 120_000);

  it('shows a viewer every tab without a single mutating control', async () => {
    const me = (await api<{ tenant: { id: string }; user: { id: string } }>('/api/me')).body;
    const viewer = await mintToken(SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET, {
      tenantId: me.tenant.id,
      userId: me.user.id,
      role: 'viewer',
    });
    const page = await signedIn(viewer);
    for (const [tab] of TABS) {
      await page.goto(`${server.url}/#/${tab}`);
      await settled(page);
      expect(await page.getByRole('button', { name: MUTATING }).count(), tab).toBe(0);
      expect(await page.locator('input[type="checkbox"]:not([disabled])').count(), tab).toBe(0);
    }
  });

  it('every tab: a screenshot at 1280 px, and no sideways scrolling at 390 px', async () => {
    const wide = await signedIn(adminToken);
    const narrow = await signedIn(adminToken, 'overview', 390);
    for (const [tab, label] of TABS) {
      await wide.getByRole('link', { name: label, exact: true }).click();
      await settled(wide);
      if (tab !== 'overview') await wide.screenshot({ path: join(SCREENSHOTS, `${tab}.png`), fullPage: true });
      await narrow.goto(`${server.url}/#/${tab}`);
      await settled(narrow);
      const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, `${tab} at 390 px`).toBeLessThanOrEqual(0);
    }
    await narrow.goto(`${server.url}/#/overview`);
    await settled(narrow);
    await narrow.screenshot({ path: join(SCREENSHOTS, 'overview-390.png'), fullPage: true });
  });

  it('is usable from the keyboard: the tabs and Run Cycle are reached with Tab and used with Enter', async () => {
    const page = await signedIn(adminToken);
    await settled(page);
    let focused = '';
    for (let i = 0; i < 30 && focused !== 'Actions'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate<string>("document.activeElement?.textContent ?? ''");
    }
    expect(focused).toBe('Actions');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#/actions');
  });
});
