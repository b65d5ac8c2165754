// Campaigns and their content from the dashboard (issue 26), in Debian's Chromium against the API
// over an embedded database: a member creates a campaign (a bad budget named under its field,
// nothing created), edits it, pauses it by hand (the ledger row names them, on the campaign's page
// and in the Actions tab), resumes it and archives it (out of the list, under its own filter); edits
// a variant's copy with the channel's counter as it is typed and the API's template error under
// the field; schedules a campaign's launch from its form (the runner then launches it); adds a
// step, changes a step's wait and removes a step; a viewer gets none of those controls; all of it at 1280 px and at 390 px without
// sideways scrolling or a console error. Screenshots: docs/screenshots/campaign-edit.png,
// campaign-content.png, campaign-content-390.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, settled, signedInAt, type WatchedPage } from './support/dashboard-browser.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe('campaigns and their content in the dashboard, in a real browser', () => {
  const db = useTestDb();
  let api: TestApi;
  let browser: Browser;
  let t: TestTenant;
  const memberId = crypto.randomUUID();
  let memberToken: string;
  let viewerToken: string;
  let adminToken: string;
  const watched: WatchedPage[] = [];

  beforeAll(async () => {
    buildDashboard();
    api = await startTestApi(db());
    t = await createTenant(db());
    memberToken = await tokenFor(db(), t.tenantId, 'member', memberId);
    viewerToken = await tokenFor(db(), t.tenantId, 'viewer');
    adminToken = await tokenFor(db(), t.tenantId, 'admin');
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    expect(watched.flatMap((w) => w.problems)).toEqual([]);
  });

  /** The API as the member calls it. */
  async function call<T>(method: string, path: string, body?: object): Promise<T> {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${memberToken}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as T;
  }

  const signedIn = (token: string, hash: string, width = 1280): Promise<Page> =>
    signedInAt(browser, watched, { baseUrl: api.url, token, path: hash.replace(/^#\//, ''), width });
  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const noSidewaysScroll = async (page: Page) =>
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);

  /** Clicks `label` and confirms it in the dialog it opens. */
  async function confirm(page: Page, label: string) {
    await page.locator('.campaign-controls').getByRole('button', { name: label, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: label, exact: true }).click();
  }

  /** Creates a campaign through the list page's form; returns its id (from the page it lands on). */
  async function createThroughForm(page: Page, title: string): Promise<string> {
    await page.getByRole('button', { name: 'New campaign' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Name').fill(title);
    await form.getByLabel('Daily budget').fill('12.345');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    // The API's message under the field, and nothing created.
    await eventually(() => text(form.locator('[id$="-budget-error"]'))).not.toBe('');
    expect(
      (await call<{ data: unknown[] }>('GET', '/api/campaigns?include_archived=true')).data.map(String),
    ).not.toContain(title);
    await form.getByLabel('Daily budget').fill('250');
    await form.getByLabel('E-mail').check();
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await eventually(() => page.evaluate<string>('location.hash')).toMatch(/^#\/campaigns\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: title }).waitFor();
    return (await page.evaluate<string>('location.hash')).split('/')[2]!;
  }

  it('creates, edits, pauses by hand (named in the ledger), resumes and archives a campaign', async () => {
    const segment = await call<{ id: string }>('POST', '/api/segments', { name: 'Trial users' });
    const page = await signedIn(memberToken, '#/campaigns');
    const id = await createThroughForm(page, 'Spring launch');
    expect(await text(page.locator('.campaign-head .badge'))).toBe('draft');

    await page.locator('.campaign-controls').getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit Spring launch' });
    await form.getByLabel('Name').fill('Spring launch EU');
    await form.getByLabel('Max budget').fill('900.50');
    await form.getByLabel('SMS').check();
    await form.getByLabel('Audience segment').selectOption(segment.id);
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-edit.png'), fullPage: true });
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('heading', { name: 'Spring launch EU' }).waitFor();
    const fields = page.locator('.campaign-fields');
    expect(await text(fields)).toContain('$250.00 (max $900.50)');
    expect(await text(fields)).toContain('email, sms');
    await eventually(() => text(fields)).toContain('Trial users (0 members)');
    const stored = await call<Record<string, unknown>>('GET', `/api/campaigns/${id}`);
    expect(stored).toMatchObject({ title: 'Spring launch EU', max_budget: 900.5, segment_id: segment.id });

    // Running now (launched, as the runner would): a member pauses it by hand.
    await call('PATCH', `/api/campaigns/${id}`, { status: 'active', version: stored.version });
    await page.reload();
    await settled(page);
    await confirm(page, 'Pause');
    await page.getByRole('status').filter({ hasText: 'Paused. The Actions tab records it under your name' }).waitFor();
    expect(await text(page.locator('.campaign-head .badge'))).toBe('paused');
    const named = `Paused by hand by ${memberId}@example.com (was active).`;
    await eventually(() => text(page.locator('[data-testid="action-row"]').first())).toContain(named);

    // The Actions tab has the row, by name, with the person's rollback beside it for an admin.
    const actions = await signedIn(memberToken, '#/actions');
    const row = actions.locator('[data-testid="action-row"]').filter({ hasText: named });
    expect(await text(row)).toContain('Paused by hand');

    await confirm(page, 'Resume');
    await page.getByRole('status').filter({ hasText: 'Resumed.' }).waitFor();
    expect(await text(page.locator('.campaign-head .badge'))).toBe('active');

    await confirm(page, 'Archive');
    await page.getByRole('status').filter({ hasText: 'Archived' }).waitFor();
    expect(await text(page.locator('.campaign-head .badge'))).toBe('archived');
    expect(await page.locator('.campaign-controls').getByRole('button').count()).toBe(0);

    const list = await signedIn(memberToken, '#/campaigns');
    await list.getByText('No campaigns match these filters.').waitFor();
    await list.getByLabel('Status').selectOption('archived');
    await settled(list);
    await eventually(() => list.locator(`[data-testid="campaign-row"][data-id="${id}"]`).count()).toBe(1);
  }, 180_000);

  /** A campaign with an e-mail step of two variants (A has sent and won replies) and an SMS step. */
  async function campaignWithContent(title: string) {
    const campaign = await call<{ id: string }>('POST', '/api/campaigns', { title, channels: ['email', 'sms'] });
    const email = await call<{ id: string }>('POST', '/api/content/assets', {
      name: 'Intro',
      asset_type: 'email',
      campaign_id: campaign.id,
      step_index: 0,
    });
    const sms = await call<{ id: string }>('POST', '/api/content/assets', {
      name: 'Nudge',
      asset_type: 'sms',
      campaign_id: campaign.id,
      step_index: 1,
      delay_hours: 48,
    });
    const a = await call<{ id: string }>('POST', `/api/content/assets/${email.id}/variants`, {
      subject: 'Your trial ends soon',
      body: 'Hi {{ first_name }}, your trial ends Friday.',
    });
    const b = await call<{ id: string }>('POST', `/api/content/assets/${email.id}/variants`, {
      subject: 'Last days of your trial',
      body: 'Hello {{ first_name }}.',
    });
    await call('POST', `/api/content/assets/${sms.id}/variants`, {
      sms_copy: 'Trial ends Friday. Reply STOP to opt out.',
    });
    await call('POST', '/api/content/variant-stats', {
      rows: [
        { variant_id: a.id, sends: 500, opens: 250, clicks: 60, replies: 40 },
        { variant_id: b.id, sends: 500, opens: 200, clicks: 30, replies: 10 },
      ],
    });
    return campaign.id;
  }

  it('edits a variant’s copy with the channel’s counter as it is typed, and the API’s template error at the field', async () => {
    const id = await campaignWithContent('Trial ending');
    const page = await signedIn(memberToken, `#/campaigns/${id}`);
    const steps = page.locator('.content-step');
    await eventually(() => steps.count()).toBe(2);
    expect(await text(steps.nth(0).locator('h3'))).toMatch(/^Step 1 · email · Intro/);
    expect(await text(steps.nth(1).locator('h3'))).toMatch(/^Step 2 · sms · Nudge \(48 h after the previous step\)/);

    const a = steps.nth(0).getByRole('form', { name: 'Variant A' });
    await eventually(() => text(a.getByTestId('p-best'))).toMatch(/^(99|100)/);
    expect(await text(a.getByLabel('Statistics of variant A'))).toContain('Replies40 (8.0%)');

    const subject = a.getByLabel('Subject');
    await subject.fill('x'.repeat(61));
    const counter = a.getByTestId('copy-limit').first();
    expect(await text(counter)).toBe('61 / 60 characters');
    expect(await counter.getAttribute('class')).toContain('tone-warn');
    await subject.fill('Your trial ends Friday');
    expect(await text(counter)).toBe('22 / 60 characters');

    await a.getByLabel('Body').fill('Hi {{ frist_name }}, your trial ends Friday.');
    await a.getByRole('button', { name: 'Save copy' }).click();
    const error = a.locator('[id$="-body-error"]');
    await eventually(() => text(error)).toContain('unknown merge field "frist_name"');
    expect(await a.getByLabel('Body').getAttribute('aria-invalid')).toBe('true');

    const sms = steps.nth(1).getByRole('form', { name: 'Variant A' });
    await sms.getByLabel('SMS').fill('Trial ends Friday 🎉 Reply STOP to opt out.');
    expect(await text(sms.getByTestId('copy-limit'))).toBe('42 characters · 1 segment (UCS-2)');
    await sms.getByLabel('SMS').fill(`${'a'.repeat(161)}`);
    expect(await text(sms.getByTestId('copy-limit'))).toBe('161 characters · 2 segments (GSM-7): billed as 2 messages');
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-content.png'), fullPage: true });

    await a.getByLabel('Body').fill('Hi {{ first_name }}, your trial ends Friday.');
    await a.getByRole('button', { name: 'Save copy' }).click();
    await steps.nth(0).getByRole('status').filter({ hasText: 'Variant A saved.' }).waitFor();
    const saved = await call<{ data: { variant_label: string; subject: string }[] }>(
      'GET',
      `/api/content/assets/${(await call<{ data: { id: string }[] }>('GET', `/api/content/assets?campaign_id=${id}&asset_type=email`)).data[0]!.id}/variants`,
    );
    expect(saved.data.find((v) => v.variant_label === 'A')!.subject).toBe('Your trial ends Friday');

    // Kill B with a reason, then restore it; add a variant C.
    const b = steps.nth(0).getByRole('form', { name: 'Variant B' });
    await b.getByRole('button', { name: 'Kill…' }).click();
    await b.getByLabel('Why kill variant B?').fill('Off brand');
    await b.getByRole('button', { name: 'Kill variant B' }).click();
    await steps.nth(0).getByRole('status').filter({ hasText: 'Variant B killed' }).waitFor();
    await eventually(() => text(page.getByRole('form', { name: 'Variant B' }).locator('.badge'))).toBe('killed');
    await page.getByRole('form', { name: 'Variant B' }).getByRole('button', { name: 'Restore' }).click();
    await eventually(() => text(page.getByRole('form', { name: 'Variant B' }).locator('.badge'))).toBe('active');
    await steps.nth(0).getByRole('button', { name: 'Add a variant' }).click();
    await page.getByRole('form', { name: 'Variant C' }).waitFor();
  }, 180_000);

  it('works at 390 px: create, pause, resume and the content editor, without sideways scrolling', async () => {
    const page = await signedIn(memberToken, '#/campaigns', 390);
    await noSidewaysScroll(page);
    const id = await createThroughForm(page, 'Phone launch');
    const version = (await call<{ version: number }>('GET', `/api/campaigns/${id}`)).version;
    await call('PATCH', `/api/campaigns/${id}`, { status: 'active', version });
    await page.reload();
    await settled(page);
    await confirm(page, 'Pause');
    await page.getByRole('status').filter({ hasText: 'Paused.' }).waitFor();
    await confirm(page, 'Resume');
    await page.getByRole('status').filter({ hasText: 'Resumed.' }).waitFor();
    await page.locator('.campaign-controls').getByRole('button', { name: 'Edit' }).click();
    await noSidewaysScroll(page);

    const content = await signedIn(memberToken, `#/campaigns/${await campaignWithContent('Phone content')}`, 390);
    const a = content.getByRole('form', { name: 'Variant A' }).first();
    await a.getByLabel('Subject').fill('A subject typed on a phone');
    expect(await text(a.getByTestId('copy-limit').first())).toBe('26 / 60 characters');
    await noSidewaysScroll(content);
    await content.screenshot({ path: join(SCREENSHOTS, 'campaign-content-390.png'), fullPage: true });
  }, 180_000);

  /** A datetime-local input's value for `at`, in the browser's (and this process's) time zone. */
  const localInput = (at: Date) => new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

  it('schedules a campaign from its form (a launch needs a time), and the runner launches it then', async () => {
    const segment = await call<{ id: string }>('POST', '/api/segments', { name: 'Launch list' });
    const contact = await call<{ id: string }>('POST', '/api/contacts', { email: 'lee@example.com' });
    await call('POST', `/api/segments/${segment.id}/members`, { contact_ids: [contact.id] });
    const page = await signedIn(memberToken, '#/campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Name').fill('Autumn launch');
    await form.getByLabel('E-mail').check();
    await form.getByLabel('Audience segment').selectOption(segment.id);
    await form.getByLabel('Launch it then').check();
    expect(await text(form)).toContain('its segment’s members become its recipients');
    // No time: the API's message under the time field, and nothing created.
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await eventually(() => text(form.locator('[id$="-when-error"]'))).not.toBe('');
    expect(await form.getByLabel('Launch at (your time)').getAttribute('aria-invalid')).toBe('true');
    const titles = async () =>
      (await call<{ data: { title: string }[] }>('GET', '/api/campaigns?limit=100')).data.map((c) => c.title);
    expect(await titles()).not.toContain('Autumn launch');

    // A minute ago, so that the runner's next pass is due to launch it.
    const at = new Date(Date.now() - 60_000);
    await form.getByLabel('Launch at (your time)').fill(localInput(at));
    await form.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: 'Autumn launch' }).waitFor();
    expect(await text(page.locator('.campaign-head .badge'))).toBe('scheduled');
    const id = (await page.evaluate<string>('location.hash')).split('/')[2]!;
    const stored = await call<{ status: string; scheduled_at: string }>('GET', `/api/campaigns/${id}`);
    expect(stored.status).toBe('scheduled');
    expect(Math.abs(new Date(stored.scheduled_at).getTime() - at.getTime())).toBeLessThan(60_000);

    const launched = await fetch(`${api.url}/api/campaigns/run-automation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(launched.status).toBe(200);
    await page.reload();
    await settled(page);
    expect(await text(page.locator('.campaign-head .badge'))).toBe('sending');
    // Launched, the form no longer decides its status.
    await page.locator('.campaign-controls').getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByRole('form', { name: 'Edit Autumn launch' }).getByLabel('Launch it then').count()).toBe(0);
  }, 180_000);

  it('adds a step at the end of the sequence, changes a step’s wait, and removes a step after asking', async () => {
    const id = await campaignWithContent('Three steps');
    const page = await signedIn(memberToken, `#/campaigns/${id}`);
    const steps = page.locator('.content-step');
    await eventually(() => steps.count()).toBe(2);

    await page.getByRole('button', { name: 'Add a step' }).click();
    const form = page.getByRole('form', { name: 'New step' });
    expect(await text(form.locator('h3'))).toBe('Step 3');
    await form.getByLabel('Name').fill('Last call');
    await form.getByLabel('Wait (hours after the step before)').fill('-5');
    await form.getByRole('button', { name: 'Add step' }).click();
    await eventually(() => text(form.locator('[id$="-wait-error"]'))).not.toBe('');
    await form.getByLabel('Wait (hours after the step before)').fill('72');
    await form.getByRole('button', { name: 'Add step' }).click();
    await page.getByRole('status').filter({ hasText: 'Step 3 added' }).waitFor();
    await eventually(() => steps.count()).toBe(3);
    expect(await text(steps.nth(2).locator('h3'))).toBe('Step 3 · email · Last call (72 h after the previous step)');
    const assets = async () =>
      (
        await call<{ data: { id: string; name: string; step_index: number; delay_hours: number; status: string }[] }>(
          'GET',
          `/api/content/assets?campaign_id=${id}`,
        )
      ).data;
    expect((await assets()).find((a) => a.name === 'Last call')).toMatchObject({ step_index: 2, delay_hours: 72 });

    const second = page.getByRole('form', { name: 'Step 2 settings' });
    await second.getByLabel('Wait (hours)').fill('24');
    await second.getByRole('button', { name: 'Save wait' }).click();
    await page.getByRole('status').filter({ hasText: 'Step 2 now waits 24 h.' }).waitFor();
    await eventually(() => text(steps.nth(1).locator('h3'))).toBe(
      'Step 2 · sms · Nudge (24 h after the previous step)',
    );
    expect((await assets()).find((a) => a.name === 'Nudge')!.delay_hours).toBe(24);

    await page.getByRole('form', { name: 'Step 3 settings' }).getByRole('button', { name: 'Remove step' }).click();
    await page
      .getByRole('dialog', { name: 'Remove step 3, Last call?' })
      .getByRole('button', { name: 'Remove step' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Step 3 (Last call) removed.' }).waitFor();
    await eventually(() => steps.count()).toBe(2);
    expect((await assets()).find((a) => a.name === 'Last call')!.status).toBe('archived');
  }, 180_000);

  it('gives a viewer the campaign and its content to read, and none of the controls', async () => {
    const id = await campaignWithContent('Read only');
    const page = await signedIn(viewerToken, `#/campaigns/${id}`);
    await page.getByRole('form', { name: 'Variant A' }).first().waitFor();
    expect(await page.locator('.campaign-controls').count()).toBe(0);
    expect(
      await page
        .getByRole('button', {
          name: /Save copy|Kill|Add a variant|Add a step|Save wait|Remove step|Edit|Pause|Archive/,
        })
        .count(),
    ).toBe(0);
    expect(
      await page.getByRole('form', { name: 'Variant A' }).first().getByLabel('Subject').getAttribute('readonly'),
    ).not.toBeNull();
    const list = await signedIn(viewerToken, '#/campaigns');
    expect(await list.getByRole('button', { name: 'New campaign' }).count()).toBe(0);
  }, 120_000);
});
