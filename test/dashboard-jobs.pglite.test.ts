// The Jobs tab in words, in Debian's Chromium against the real server (embedded, demo data, no job
// worker): each installed schedule says when it runs ("every hour", "Mondays 09:00 UTC") with the
// expression under it, and a run's result reads as lines ("Actions taken: 3", "Campaigns: 2"), a
// list of findings one a line, instead of JSON. At 1280 px and 390 px, without a console error or
// a 5xx. Screenshot: docs/screenshots/jobs-runs.png.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_SECRETS } from '../scripts/support/cli-process.ts';
import { mintToken } from '../src/auth/tokens.ts';
import { buildDashboard, launchChromium, openPage, type WatchedPage } from './support/dashboard-browser.ts';
import { closeBrowserSuite, type DemoServer, startDemoServer } from './support/demo-server.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

let demo: DemoServer;
let browser: Browser;
let tokens: { admin: string; viewer: string };
const watched: WatchedPage[] = [];

async function signedIn(token: string, width = 1280): Promise<Page> {
  const opened = await openPage(browser, width);
  watched.push(opened);
  const { page } = opened;
  await page.goto(`${demo.server.url}/#token=${token}`);
  await eventually(() => page.evaluate<string>('location.hash')).toBe('#/overview');
  await page.goto(`${demo.server.url}/#/jobs`);
  await expect.poll(() => page.locator('[aria-busy="true"]').count(), { timeout: 30_000 }).toBe(0);
  return page;
}

const scheduleRow = (page: Page, name: string) => page.locator(`[data-testid="schedule-row"][data-id="${name}"]`);

beforeAll(async () => {
  buildDashboard();
  demo = await startDemoServer('dashboard-jobs');
  const mint = (role: 'admin' | 'viewer') => mintToken(SERVER_SECRETS.NIGHTSHIFT_JWT_SECRET, { ...demo.admin, role });
  tokens = { admin: await mint('admin'), viewer: await mint('viewer') };
  // A finished run of the hourly cycle and of the social dispatcher, as the worker records them.
  await demo.server.db.session((s) =>
    s.query(
      `INSERT INTO schedule_runs (tenant_id, schedule_id, tick_at, status, started_at, finished_at, attempts, result)
       SELECT $1, id, now() - interval '1 hour', 'succeeded', now() - interval '1 hour',
              now() - interval '1 hour' + interval '2 seconds', 1,
              CASE name WHEN 'autonomous-cycle' THEN $2::jsonb ELSE $3::jsonb END
         FROM job_schedules WHERE name IN ('autonomous-cycle', 'social-dispatcher')`,
      [
        demo.admin.tenantId,
        JSON.stringify({
          cycle_id: '0b6f3c1e-1111-4222-8333-944445555666',
          actions_taken: 3,
          suggestions_created: 1,
          campaign_ids: ['a', 'b'],
        }),
        JSON.stringify({ schedules: [{ schedule_id: 'x', outcome: 'skipped', reason: 'no account connected' }] }),
      ],
    ),
  );
  browser = await launchChromium();
}, 180_000);

afterAll(() => closeBrowserSuite(browser, demo, watched));

describe('the Jobs tab in words', () => {
  it('says when each schedule runs, with the expression under it', async () => {
    const page = await signedIn(tokens.admin);
    const when = (name: string) => scheduleRow(page, name).locator('td').nth(1).textContent();
    expect(await when('autonomous-cycle')).toMatch(/^every hour0 \* \* \* \*/);
    expect(await when('cmo-weekly-summary')).toMatch(/^Mondays 09:00 UTC/);
    expect(await when('cmo-daily-loop')).toMatch(/^every day 06:00 UTC/);
    expect(await when('campaign-runner')).toMatch(/^every minute/);
    expect(await when('ad-sync')).toMatch(/^every hour at :50/);
    // The loop's task data in words, not JSON.
    expect(await scheduleRow(page, 'cmo-daily-loop').locator('td').first().textContent()).toContain('Mode: full');
    expect(await page.locator('table').first().textContent()).not.toMatch(/[{}]/);
  });

  it('shows a run’s result as lines, a list of findings one a line', async () => {
    const page = await signedIn(tokens.admin);
    await scheduleRow(page, 'autonomous-cycle').getByRole('button', { name: 'Runs of autonomous-cycle' }).click();
    const result = page.getByTestId('job-run-row').first().locator('.run-result');
    await result.waitFor();
    // jsonb keeps the keys in its own order: the lines are compared as a set.
    expect((await result.locator(':scope > li').allTextContents()).sort()).toEqual([
      'Actions taken: 3',
      'Campaigns: 2',
      'Cycle: 0b6f3c1e',
      'Suggestions created: 1',
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'jobs-runs.png'), fullPage: true });

    await scheduleRow(page, 'social-dispatcher').getByRole('button', { name: 'Runs of social-dispatcher' }).click();
    const findings = page.getByTestId('job-run-row').first().locator('.run-result');
    await eventually(() => findings.textContent()).toContain('Schedules: 1');
    const [finding, ...others] = await findings.locator('ul li').allTextContents();
    expect(others).toEqual([]);
    expect(finding!.split(', ').sort()).toEqual(['outcome skipped', 'reason no account connected']);
  });

  it('tells a viewer the schedules are for admins', async () => {
    const page = await signedIn(tokens.viewer);
    await page.getByText('The schedules and their runs are shown to admins of this tenant only.').waitFor();
  });

  it('fits a 390 px phone with a run open', async () => {
    const page = await signedIn(tokens.admin, 390);
    await scheduleRow(page, 'autonomous-cycle').getByRole('button', { name: 'Runs of autonomous-cycle' }).click();
    await page.getByTestId('job-run-row').first().locator('.run-result').waitFor();
    expect(await page.evaluate<boolean>('document.scrollingElement.scrollWidth <= innerWidth')).toBe(true);
  });
});
