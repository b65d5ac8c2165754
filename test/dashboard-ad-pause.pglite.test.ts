// A pause that reaches the ad platform, from the dashboard, in Debian's Chromium: a campaign
// imported from the local Meta stand-in loses money, the cycle suggests pausing it (autopilot is
// off on an imported campaign), a person approves the suggestion on the Actions page, and the page
// says the change waits for Meta, not that it is done, until the ad-platform-changes task has sent
// it and Meta has confirmed; then the action is executed and the campaign paused.
//
// The server is `nightshift serve`'s own startServer (embedded, demo data, no job worker) run in
// this process rather than as a child, so the test runs the delivery task itself, at the moment it
// chooses, on the server's database: with a worker, the "waiting" state would last until a
// scheduler pass the test does not control.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS } from '../scripts/support/cli-process.ts';
import { type MetaGraphServer, startMetaGraphServer } from '../simulation/ad-platforms/meta-graph-server.ts';
import { findMembership } from '../src/auth/members.ts';
import { mintToken } from '../src/auth/tokens.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { DEFAULT_META_CONVERSION_ACTION } from '../src/contract/ad-accounts.ts';
import { LOCAL_ADMIN_EMAIL } from '../src/demo/load-demo.ts';
import { addDays } from '../src/domain/day.ts';
import { taskDeps } from '../src/jobs/task-deps.ts';
import { findTask } from '../src/jobs/tasks.ts';
import { createLogger } from '../src/log.ts';
import { resolveSecrets } from '../src/secrets.ts';
import { type RunningServer, startServer } from '../src/server/serve.ts';
import { dayIn } from '../src/services/ad-sync.ts';
import { buildDashboard, launchChromium, openPage, type WatchedPage } from './support/dashboard-browser.ts';

let config: Config;
let server: RunningServer;
let meta: MetaGraphServer;
let browser: Browser;
let dataDir: string;
let admin: { tenantId: string; token: string };
const watched: WatchedPage[] = [];

/** The API as the admin calls it: a GET, or a POST (with `body`, if any). */
async function api<T>(path: string, post?: { body?: object }): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, {
    method: post ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    ...(post?.body ? { body: JSON.stringify(post.body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function signedIn(hash: string): Promise<Page> {
  const opened = await openPage(browser);
  watched.push(opened);
  const { page } = opened;
  await page.goto(`${server.url}/#token=${admin.token}`);
  await expect.poll(() => page.evaluate<string>('location.hash')).toBe('#/overview');
  await page.goto(`${server.url}/${hash}`);
  return page;
}

/** The ad-platform-changes task's run for the tenant, as the worker runs it every minute. */
async function deliver() {
  const log = createLogger('silent');
  const task = findTask('ad-platform-changes')!;
  return task.run(taskDeps(config, resolveSecrets(config), server.db, log), admin.tenantId, {});
}

beforeAll(async () => {
  buildDashboard();
  meta = await startMetaGraphServer();
  dataDir = mkdtempSync(join(tmpdir(), 'nightshift-dashboard-pause-'));
  config = loadConfig({
    NIGHTSHIFT_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...SERVER_SECRETS,
    NIGHTSHIFT_GRAPH_API_BASE_URL: `${meta.baseUrl}/v21.0`,
  });
  server = await startServer(config, createLogger('silent'), resolveSecrets(config), { worker: false });
  const membership = (await findMembership(server.db, LOCAL_ADMIN_EMAIL))!;
  admin = {
    tenantId: membership.tenantId,
    token: await mintToken(SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET, { ...membership, role: 'admin' }),
  };
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await meta?.close();
  rmSync(dataDir, { recursive: true, force: true });
  expect(watched.flatMap((w) => w.problems)).toEqual([]);
});

describe('a pause approved in the dashboard, in a real browser', () => {
  it('reaches Meta, and the page says it waits for Meta until Meta has confirmed', async () => {
    // A Meta campaign that spent $1,200 for $300 over three days: the default rules pause it.
    meta.addAdAccount({ id: '7770001', name: 'Demo Paid Social', currency: 'USD', timezoneName: 'UTC' });
    const object = meta.addCampaign('7770001', { name: 'Lookalike loser', status: 'ACTIVE', dailyBudget: '20000' });
    const today = dayIn('UTC', new Date());
    for (let day = 0; day < 3; day += 1) {
      meta.setDay(object.id, addDays(today, -day), {
        spend: '400.00',
        impressions: 10_000,
        clicks: 200,
        actions: { [DEFAULT_META_CONVERSION_ACTION]: '10' },
        actionValues: { [DEFAULT_META_CONVERSION_ACTION]: '100.00' },
      });
    }
    const connected = await api<{ id: string }>('/api/ad-accounts', {
      body: { platform: 'meta', credentials: { access_token: `EAAB${'p'.repeat(60)}`, ad_account_id: 'act_7770001' } },
    });
    expect(connected.status).toBe(201);
    const imported = await api<{ created_campaign_ids: string[] }>(`/api/ad-accounts/${connected.body.id}/import`, {
      body: {},
    });
    const [campaignId] = imported.body.created_campaign_ids;
    expect((await api(`/api/ad-accounts/${connected.body.id}/sync`, { body: {} })).status).toBe(200);
    expect((await api('/api/cycles', {})).status).toBe(201);
    const suggested = await api<{ data: { id: string; action_type: string }[] }>(
      `/api/actions?campaign_id=${campaignId}&status=pending`,
    );
    expect(suggested.body.data.map((a) => a.action_type)).toEqual(['auto_pause']);
    const actionId = suggested.body.data[0]!.id;

    // A person approves it from the Actions page.
    const page = await signedIn('#/actions');
    const row = page.locator(`[data-testid="action-row"][data-id="${actionId}"]`);
    await row.getByRole('button', { name: 'Approve' }).click();
    await row
      .getByText('Approved: sent to the ad platform. The campaign changes once the platform confirms.')
      .waitFor();
    expect(await row.textContent()).toMatch(/applying/);
    expect(await row.getByTestId('action-applying').textContent()).toBe(
      'Waiting for the ad platform to confirm: not applied yet.',
    );
    expect(await row.textContent()).not.toMatch(/executed|applied\./);
    // Nothing reached Meta, and the campaign is still active, here and there.
    expect(meta.calls.filter((call) => call.method === 'POST')).toEqual([]);
    expect(meta.object(object.id)!.status).toBe('ACTIVE');
    expect((await api<{ status: string }>(`/api/campaigns/${campaignId}`)).body.status).toBe('active');

    // The delivery task sends it: Meta gets the pause, confirms it, and the page (reading the
    // ledger again while a change is on its way) shows the action executed without a reload.
    expect(await deliver()).toMatchObject({ outcomes: { confirmed: 1 }, unfinished: [] });
    expect(meta.calls.filter((call) => call.method === 'POST').map((call) => [call.path, call.body.status])).toEqual([
      [`/v21.0/${object.id}`, 'PAUSED'],
    ]);
    expect(meta.object(object.id)!.status).toBe('PAUSED');
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 20_000 }).toBe('executed');
    expect(await row.getByTestId('action-applying').count()).toBe(0);

    const campaign = await signedIn(`#/campaigns/${campaignId}`);
    expect(await campaign.getByTestId('platform-link').textContent()).toContain(object.id);
    expect(await campaign.locator('.campaign-head .badge').textContent()).toBe('paused');
  }, 180_000);
});
