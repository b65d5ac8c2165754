// The Agents tab's documents, in Debian's Chromium against the real server (embedded, demo data,
// whose start ran the strategy, funnel and optimization agents offline): the demo plan opened from
// the workspace's list as a document (phases with dates and budgets in the tenant's currency, the
// channel mix, milestones), its funnel's stages, the recommendations as cards; a funnel run for a
// plan picked by name from a list, whose answer shows as its document; a past run opened to what
// it produced; a second workspace picked, empty; a viewer reading without a Run button. At
// 1280 px and 390 px, without a console error or a 5xx. Screenshot: docs/screenshots/agents-plan.png.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS } from '../scripts/support/cli-process.ts';
import { mintToken } from '../src/auth/tokens.ts';
import type { CmoFunnelHead, CmoPlanHead, CmoPlanRecord } from '../src/contract/cmo-documents.ts';
import type { RunningServer } from '../src/server/serve.ts';
import { buildDashboard, launchChromium, openPage, type WatchedPage } from './support/dashboard-browser.ts';
import { closeBrowserSuite, type DemoServer, startDemoServer } from './support/demo-server.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

let server: RunningServer;
let browser: Browser;
let demo: DemoServer;
let tokens: { admin: string; viewer: string };
let tenantId: string;
let plan: CmoPlanRecord;
const watched: WatchedPage[] = [];

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${tokens.admin}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function signedIn(token: string, width = 1280): Promise<Page> {
  const opened = await openPage(browser, width);
  watched.push(opened);
  const { page } = opened;
  await page.goto(`${server.url}/#token=${token}`);
  await eventually(() => page.evaluate<string>('location.hash')).toBe('#/overview');
  await page.goto(`${server.url}/#/agents`);
  await settled(page);
  return page;
}

async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 30_000 }).toBe(0);
}

const fitsWidth = (page: Page) => page.evaluate<boolean>('document.scrollingElement.scrollWidth <= innerWidth');

/** The demo plan's row in the workspace's list, opened to its document. */
async function openPlan(page: Page) {
  await page.locator(`[data-testid="plan-row"][data-id="${plan.id}"]`).getByRole('button', { name: plan.name }).click();
  const document = page.getByRole('article', { name: `Plan ${plan.name}` });
  await document.getByRole('table').first().waitFor();
  return document;
}

beforeAll(async () => {
  buildDashboard();
  demo = await startDemoServer('dashboard-agents');
  server = demo.server;
  const membership = demo.admin;
  tenantId = membership.tenantId;
  const mint = (role: 'admin' | 'viewer') => mintToken(SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET, { ...membership, role });
  tokens = { admin: await mint('admin'), viewer: await mint('viewer') };
  const plans = await api<{ data: CmoPlanHead[] }>('/api/cmo-plans');
  expect(plans.data, 'the demo start ran the strategy agent').toHaveLength(1);
  plan = await api<CmoPlanRecord>(`/api/cmo-plans/${plans.data[0]!.id}`);
  browser = await launchChromium();
}, 180_000);

afterAll(() => closeBrowserSuite(browser, demo, watched));

describe('the agents’ plans, funnels and recommendations as documents', () => {
  it('opens the demo plan as a document: phases with dates and budgets, the channel mix, milestones', async () => {
    const page = await signedIn(tokens.admin);
    const document = await openPlan(page);
    const money = (n: number) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: plan.currency, maximumFractionDigits: 2 }).format(
        n,
      );
    const text = (await document.textContent()) ?? '';
    expect(text).toContain(plan.primary_goal);
    expect(text).toContain(money(plan.budget!));
    const phases = document.getByRole('table').first().locator('tbody tr');
    expect(await phases.count()).toBe(plan.phases.length);
    const first = plan.phases[0]!;
    const firstRow = (await phases.first().textContent()) ?? '';
    expect(firstRow).toContain(first.name);
    expect(firstRow).toContain(money(first.budget));
    // Dates as a person writes them ("Dec 7, 2026"), never the stored ISO form.
    const start = new Date(`${first.start_date}T00:00:00Z`);
    expect(firstRow).toContain(start.toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' }));
    // The agent's own prose (the summary) may write ISO dates; the page's tables and lists do not.
    const built = (await document.locator('dl, table, ul').allTextContents()).join(' ');
    expect(built).not.toMatch(/\d{4}-\d\d-\d\d/);
    expect(text).not.toMatch(/[{}[\]]/);
    for (const mix of plan.channel_mix) expect(text).toContain(money(mix.budget));
    await page.screenshot({ path: join(SCREENSHOTS, 'agents-plan.png'), fullPage: true });
  });

  it('opens the demo funnel’s stages and shows the recommendations as cards, most pressing first', async () => {
    const page = await signedIn(tokens.admin);
    const [funnel] = (await api<{ data: CmoFunnelHead[] }>('/api/cmo-funnels')).data;
    const row = page.locator(`[data-testid="funnel-row"][data-id="${funnel!.id}"]`);
    expect(await row.textContent()).toContain(plan.name);
    await row.getByRole('button', { name: funnel!.name }).click();
    const document = page.getByRole('article', { name: `Funnel ${funnel!.name}` });
    await document.getByRole('table').waitFor();
    expect(await document.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    const cards = page.getByTestId('recommendations').first().locator('li');
    expect(await cards.count()).toBeGreaterThan(0);
    const ranks = await cards.evaluateAll((items) =>
      items.map((li) => ['high', 'medium', 'low'].indexOf(li.querySelector('.badge')?.textContent?.trim() ?? '')),
    );
    expect(ranks).toEqual([...ranks].sort());
  });

  it('runs the funnels agent for a plan picked by name, and shows the new funnel as its document', async () => {
    const page = await signedIn(tokens.admin);
    await page.getByLabel('Mode').selectOption('funnels');
    const picker = page.getByLabel('Plan', { exact: true });
    await eventually(() => picker.locator('option').count()).toBe(2);
    await picker.selectOption({ label: `${plan.name} (${await dayRange(page, plan)})` });
    await page.getByLabel('Funnel type').selectOption('webinar');
    await page.getByRole('button', { name: 'Run agent' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /completed/i })
      .waitFor({ timeout: 60_000 });
    const funnels = (await api<{ data: CmoFunnelHead[] }>(`/api/cmo-funnels?plan_id=${plan.id}`)).data;
    const made = funnels.find((f) => f.funnel_type === 'webinar');
    expect(made?.plan_id).toBe(plan.id);
    const shown = page.locator('.agent-result').getByRole('article', { name: `Funnel ${made!.name}` });
    await shown.getByRole('table').waitFor();
    expect(await shown.textContent()).toContain(plan.name);
  }, 120_000);

  it('opens a past strategy run to the plan it stored', async () => {
    const page = await signedIn(tokens.admin);
    const row = page.getByTestId('agent-run-row').filter({ hasText: 'cmo-plan-90day' });
    await row.getByRole('button', { name: 'cmo-plan-90day' }).click();
    await page
      .locator('.run-detail')
      .getByRole('article', { name: `Plan ${plan.name}` })
      .getByRole('table')
      .first()
      .waitFor();
  });

  it('picks another workspace: its empty lists say which agent fills them', async () => {
    await server.db.session((s) =>
      s.query(`INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1, 'launch', 'Spring launch')`, [tenantId]),
    );
    const page = await signedIn(tokens.admin);
    await page.getByLabel('Workspace').selectOption({ label: 'Spring launch' });
    await page.getByText('No plan yet: run the strategy agent.').waitFor();
    await page.getByText('No funnel yet: run the funnels agent.').waitFor();
    await page.getByText('No recommendations yet: run the optimization agent.').waitFor();
    await page.getByLabel('Mode').selectOption('optimization');
    const picker = page.getByLabel('Plan', { exact: true });
    await eventually(() => picker.isEnabled()).toBe(true);
    expect(await picker.locator('option').allTextContents()).toEqual(['The newest plan']);
  });

  it('lets a viewer read the documents without a Run button', async () => {
    const page = await signedIn(tokens.viewer);
    expect(await page.getByRole('button', { name: 'Run agent' }).count()).toBe(0);
    await openPlan(page);
  });

  it('fits a 390 px phone with a plan open', async () => {
    const page = await signedIn(tokens.admin, 390);
    await openPlan(page);
    expect(await fitsWidth(page)).toBe(true);
  });
});

/** The plan's period as the page writes it, in the browser's own locale. */
function dayRange(page: Page, p: CmoPlanRecord): Promise<string> {
  return page.evaluate(
    ([from, to]) => {
      const day = (d: string) =>
        new Date(`${d}T00:00:00Z`).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
      return `${day(from!)} – ${day(to!)}`;
    },
    [p.start_date, p.end_date],
  );
}
