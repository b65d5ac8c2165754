// The Rules tab's delete and backtest, in Debian's Chromium against the real server (embedded,
// demo data, a suggestion recorded through a default rule): a rule deleted after the
// question (and kept when the answer is "Keep it"); a rule the ledger points at refused in words,
// left in place; an edited threshold rewritten in the description, a hand-written one marked custom;
// a rule's history with an edit's before and after; the rules backtested with money per rule and in total, a switched-off rule
// included only on request. At 1280 px and 390 px, without a console error or a 5xx.
// Screenshot: docs/screenshots/rules-backtest.png.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS } from '../scripts/support/cli-process.ts';
import { mintToken } from '../src/auth/tokens.ts';
import type { BacktestResult } from '../src/contract/backtest.ts';
import type { RuleRecord } from '../src/contract/rules.ts';
import { recordActions } from '../src/ledger/record.ts';
import type { RunningServer } from '../src/server/serve.ts';
import { buildDashboard, launchChromium, openPage, type WatchedPage } from './support/dashboard-browser.ts';
import { closeBrowserSuite, type DemoServer, startDemoServer } from './support/demo-server.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

let server: RunningServer;
let browser: Browser;
let demo: DemoServer;
let token: string;
const watched: WatchedPage[] = [];

async function api<T>(
  path: string,
  init: { method?: string; body?: object } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function signedIn(width = 1280): Promise<Page> {
  const opened = await openPage(browser, width);
  watched.push(opened);
  const { page } = opened;
  await page.goto(`${server.url}/#token=${token}`);
  await eventually(() => page.evaluate<string>('location.hash')).toBe('#/overview');
  await page.goto(`${server.url}/#/rules`);
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 30_000 }).toBe(0);
  return page;
}

/** A rule of the admin's that only notifies, so it changes nothing the other tests read. */
const notifyRule = (name: string, priority: number, condition: object, description?: string) =>
  api<RuleRecord>('/api/rules', {
    method: 'POST',
    body: {
      rule_name: name,
      rule_type: 'notify',
      priority,
      description,
      condition,
      action: { type: 'notify', severity: 'low' },
    },
  });

const ruleRow = (page: Page, id: string) => page.locator(`[data-testid="rule-row"][data-id="${id}"]`);

beforeAll(async () => {
  buildDashboard();
  demo = await startDemoServer('dashboard-rules');
  server = demo.server;
  const membership = demo.admin;
  token = await mintToken(SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET, { ...membership, role: 'admin' });
  // A suggestion a default rule made, as a cycle records it: the ledger now points at that rule.
  const [rule] = (await api<{ data: RuleRecord[] }>('/api/rules')).body.data;
  const [campaign] = (await api<{ data: { id: string; budget: number }[] }>('/api/campaigns?limit=1')).body.data;
  await server.db.transaction((s) =>
    recordActions(s, membership.tenantId, {}, [
      {
        campaignId: campaign!.id,
        ruleId: rule!.id,
        actionType: 'auto_pause',
        reason: 'It loses money.',
        previousState: { status: 'active', budget: Number(campaign!.budget) },
        newState: { status: 'paused', budget: Number(campaign!.budget) },
        status: 'pending',
        confidence: 0.9,
        expectedImpact: 'Saves $50.00 a week',
      },
    ]),
  );
  browser = await launchChromium();
}, 180_000);

afterAll(() => closeBrowserSuite(browser, demo, watched));

describe('deleting and backtesting rules, in a real browser', () => {
  it('deletes a rule only after the question, and keeps it on "Keep it"', async () => {
    const created = await notifyRule('Short-lived test rule', 5, { metric: 'cpc', operator: '<', threshold: 0.1 });
    expect(created.status).toBe(201);
    const page = await signedIn();
    const row = ruleRow(page, created.body.id);
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.getByText('Delete “Short-lived test rule”? It cannot be undone.').waitFor();
    await row.getByRole('button', { name: 'Keep it' }).click();
    expect((await api(`/api/rules/${created.body.id}`)).status).toBe(200);
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.getByRole('button', { name: 'Delete rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted “Short-lived test rule”.' }).waitFor();
    await eventually(() => row.count()).toBe(0);
    expect((await api(`/api/rules/${created.body.id}`)).status).toBe(404);
  });

  it('says in words why a rule the ledger points at stays, and leaves it', async () => {
    const actions = await api<{ data: { rule_id: string | null }[] }>('/api/actions?limit=200');
    const ruleId = actions.body.data.find((a) => a.rule_id)?.rule_id;
    const rule = (await api<RuleRecord>(`/api/rules/${ruleId}`)).body;
    const page = await signedIn();
    const row = ruleRow(page, rule.id);
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.getByRole('button', { name: 'Delete rule' }).click();
    await row.getByRole('alert').filter({ hasText: 'cannot be deleted. Switch it off instead.' }).waitFor();
    expect(await row.getByRole('alert').textContent()).not.toContain(rule.id);
    expect((await api(`/api/rules/${rule.id}`)).status).toBe(200);
  });

  it('backtests the rules with money per rule and in total; a switched-off rule only on request', async () => {
    const rules = (await api<{ data: RuleRecord[] }>('/api/rules')).body.data;
    const all = (
      await api<BacktestResult>('/api/cycles/backtest', { method: 'POST', body: { days: 30, include_inactive: true } })
    ).body;
    expect(all.rules.length, 'the demo rules act over 30 days').toBeGreaterThan(0);
    const off = rules.find((r) => r.rule_name === all.rules[0]!.rule_name)!;
    expect((await api(`/api/rules/${off.id}/active`, { method: 'PUT', body: { is_active: false } })).status).toBe(200);

    const page = await signedIn();
    const panel = page.getByRole('region', { name: 'Backtest the rules' });
    const names = () => panel.locator('table tbody tr td:first-child').allTextContents();
    await panel.getByRole('button', { name: 'Backtest' }).click();
    await panel.getByTestId('backtest-total').waitFor();
    expect(await names()).not.toContain(off.rule_name);

    await panel.getByLabel('Include inactive rules').check();
    await panel.getByRole('button', { name: 'Backtest' }).click();
    await eventually(names).toContain(off.rule_name);
    expect((await names()).sort()).toEqual(all.rules.map((r) => r.rule_name).sort());
    const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(all.total.net);
    expect(await panel.getByTestId('backtest-total').textContent()).toContain(money);
    expect((await api<RuleRecord>(`/api/rules/${off.id}`)).body.is_active).toBe(false);
    await panel.screenshot({ path: join(SCREENSHOTS, 'rules-backtest.png') });
  }, 120_000);

  it('shows a rule’s history: an edit of its threshold as before → after, and a switch, with who', async () => {
    const created = await notifyRule('Costly clicks', 6, { metric: 'cpc', operator: '>', threshold: 2 });
    const edited = { ...created.body, condition: { metric: 'cpc', operator: '>', threshold: 3 } };
    const { id, created_at: _a, updated_at: _b, created_by: _c, ...definition } = edited;
    expect((await api(`/api/rules/${id}`, { method: 'PUT', body: definition })).status).toBe(200);
    expect((await api(`/api/rules/${id}/active`, { method: 'PUT', body: { is_active: false } })).status).toBe(200);

    const page = await signedIn();
    const row = ruleRow(page, id);
    await row.getByRole('button', { name: 'History' }).click();
    const entries = row.getByTestId('rule-change');
    await eventually(() => entries.count()).toBe(3);
    const texts = await entries.allTextContents();
    expect(texts.map((t) => t.split(' ')[0])).toEqual(['Switched', 'Edited', 'Created']);
    const edit = entries.nth(1);
    expect(await edit.locator('del').textContent()).toContain('2');
    expect(await edit.locator('ins').textContent()).toContain('3');
    expect(await edit.locator('li').textContent()).toMatch(/^When: /);
    expect(texts[0]).not.toContain('an API key');
  });

  it('rewrites a description’s threshold when the threshold is edited, and marks a hand-written one custom', async () => {
    const rules = (await api<{ data: RuleRecord[] }>('/api/rules')).body.data;
    const critical = rules.find((r) => r.rule_name === 'Critical ROI Pause')!;
    expect(critical.description).toBe('ROI below 0.5 after $50 of spend: pause at once.');
    const page = await signedIn();
    const row = ruleRow(page, critical.id);
    await row.getByRole('button', { name: 'Edit' }).click();
    await row.getByLabel('Threshold (term 1)').fill('0.4');
    await row.getByLabel('Min spend').fill('80');
    const description = row.getByLabel('Description');
    expect(await description.inputValue()).toBe('ROI below 0.4 after $80 of spend: pause at once.');
    await row.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved “Critical ROI Pause”.' }).waitFor();
    expect((await api<RuleRecord>(`/api/rules/${critical.id}`)).body.description).toBe(
      'ROI below 0.4 after $80 of spend: pause at once.',
    );
    expect(await row.locator('.rule-description .badge').count()).toBe(0);

    const custom = await notifyRule(
      'Hand-written',
      4,
      { metric: 'cpc', operator: '>', threshold: 5 },
      'Flags expensive traffic for a look.',
    );
    await page.reload();
    const customRow = ruleRow(page, custom.body.id);
    await customRow.locator('.rule-description .badge', { hasText: 'custom' }).waitFor();
    await customRow.getByRole('button', { name: 'Edit' }).click();
    await customRow.getByTestId('custom-description').waitFor();
    await customRow.getByLabel('Threshold (term 1)').fill('6');
    expect(await customRow.getByLabel('Description').inputValue()).toBe('Flags expensive traffic for a look.');
  });

  it('fits a 390 px phone with a delete asked and a backtest shown', async () => {
    const page = await signedIn(390);
    await page.getByTestId('rule-row').first().getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByTestId('rule-row').first().getByRole('button', { name: 'History' }).click();
    const panel = page.getByRole('region', { name: 'Backtest the rules' });
    await panel.getByRole('button', { name: 'Backtest' }).click();
    await panel.getByTestId('backtest-total').waitFor({ timeout: 60_000 });
    expect(await page.evaluate<boolean>('document.scrollingElement.scrollWidth <= innerWidth')).toBe(true);
  }, 120_000);
});
