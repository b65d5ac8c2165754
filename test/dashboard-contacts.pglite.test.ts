// The Contacts tab from the dashboard, in Debian's Chromium against the API (in this process, over
// an embedded database) and a local SMTP server: a member imports a CSV with a bad row (nothing
// written when told to abort, the good rows when told to skip) and reads the row-level report;
// creates a segment, renames it, adds a member found by search and removes one, and deletes a
// segment after confirming (a campaign's audience is refused, and the page says why); opens a
// contact a campaign sent a message to through the delivery worker and sees it opened and clicked,
// changes its status; at 1280 and 390 px, and a viewer sees all of it without a control to change
// anything. Screenshots: docs/screenshots/contacts-import.png, segment.png, contact.png, contact-390.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldMessageEvents } from '../src/delivery/fold-events.ts';
import { buildDashboard, launchChromium, settled, signedInAt, type WatchedPage } from './support/dashboard-browser.ts';
import { actOn } from './support/delivery-recipient.ts';
import { deliver, launchedCampaign, senderTenant } from './support/delivery-world.ts';
import type { TestTenant } from './support/scenario.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
/** expect.poll with room for a busy machine: each answer the page waits for is an API round trip. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const CSV = [
  'email,first_name,last_name,company,plan',
  'ada@example.com,Ada,Lovelace,Analytical,pro',
  'not-an-email,Bob,Builder,,',
  'cy@example.com,Cy,Young,,trial',
].join('\n');

describe('contacts and segments in the dashboard, in a real browser', () => {
  const db = useTestDb();
  let api: TestApi;
  let sink: SmtpSink;
  let browser: Browser;
  let t: TestTenant;
  let memberToken: string;
  let segmentId: string;
  let adaId: string;
  const watched: WatchedPage[] = [];

  beforeAll(async () => {
    buildDashboard();
    sink = await startSmtpSink();
    api = await startTestApi(db());
    t = await senderTenant(db(), { smtp: sink });
    memberToken = await tokenFor(db(), t.tenantId, 'member');
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await sink?.close();
    expect(watched.flatMap((w) => w.problems)).toEqual([]);
  });

  const signedIn = (token: string, path: string, width = 1280) =>
    signedInAt(browser, watched, { baseUrl: api.url, token, path, width });

  /** What a person reads: the rendered text (cells apart), whitespace collapsed. */
  const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

  async function apiGet<T>(path: string): Promise<T> {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${memberToken}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  it('imports a CSV with a bad row: nothing on abort, the good rows on skip, and the row-level report', async () => {
    const page = await signedIn(memberToken, 'contacts');
    await page.getByText('No contacts yet.').waitFor();
    await page.getByText('Import contacts from a CSV file').click();
    const form = page.getByRole('form', { name: 'Import contacts' });
    await form.getByLabel('CSV file').setInputFiles({
      name: 'contacts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    });
    await form.getByRole('button', { name: 'Import' }).click();
    const report = page.getByTestId('import-report');
    await eventually(() => text(report)).toMatch(/^Nothing was imported\. 1 of 3 rows are invalid/);
    const bad = page.getByTestId('import-bad-row');
    expect(await bad.count()).toBe(1);
    expect(await text(bad)).toMatch(/^2 email \S/);
    expect(await page.getByTestId('contact-row').count()).toBe(0);

    // A file the API cannot take at all (no email or phone column): its words, nothing written.
    await form.getByLabel('CSV file').setInputFiles({
      name: 'names.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('first_name\nAda\n'),
    });
    await form.getByRole('button', { name: 'Import' }).click();
    await eventually(() => text(report)).toMatch(/^Nothing was imported\..*header: needs an email or a phone column/);
    expect(await bad.count()).toBe(0);

    await form
      .getByLabel('CSV file')
      .setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await form.getByLabel('Import the good rows, skip the bad ones').check();
    await form.getByRole('button', { name: 'Import' }).click();
    await eventually(() => text(report)).toMatch(/^2 created, 0 updated, 1 skipped\./);
    expect(await text(bad)).toMatch(/^2 email \S/);
    await eventually(() => page.getByTestId('contact-row').count()).toBe(2);
    const people = await page.getByTestId('contact-row').allInnerTexts();
    expect(people.map((row) => row.replace(/\s+/g, ' ')).sort()).toEqual([
      expect.stringMatching(/^Ada Lovelace Analytical ada@example\.com — active/i),
      expect.stringMatching(/^Cy Young cy@example\.com — active/i),
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'contacts-import.png'), fullPage: true });

    // The same file again, into a segment: both known contacts are updated and join it.
    const { data } = await apiGet<{ data: { id: string; email: string }[] }>('/api/contacts');
    adaId = data.find((c) => c.email === 'ada@example.com')!.id;
    const created = await fetch(`${api.url}/api/segments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${memberToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Imported' }),
    });
    expect(created.status).toBe(201);
    await page.reload();
    await settled(page);
    await page.getByText('Import contacts from a CSV file').click();
    await form
      .getByLabel('CSV file')
      .setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await form.getByLabel('Import the good rows, skip the bad ones').check();
    await form.getByLabel('Add them to a segment (optional)').selectOption({ label: 'Imported' });
    await form.getByRole('button', { name: 'Import' }).click();
    await eventually(() => text(report)).toMatch(/^0 created, 2 updated, 1 skipped; 2 added to the segment\./);
  }, 120_000);

  it('creates a segment, renames it, adds a member found by search and removes one; deletes after confirming', async () => {
    const page = await signedIn(memberToken, 'contacts/segments');
    expect(await text(page.getByTestId('segment-row'))).toMatch(/Imported.*2/);
    const create = page.getByRole('form', { name: 'New segment' });
    await create.getByLabel('Name').fill('Imported');
    await create.getByRole('button', { name: 'Create segment' }).click();
    // A name taken in the workspace: the API's words under the field, nothing created.
    await create.locator('#segment-new-name-error').waitFor();
    expect(await text(create.locator('#segment-new-name-error'))).toMatch(/already taken/);
    await create.getByLabel('Name').fill('Founders');
    await create.getByRole('button', { name: 'Create segment' }).click();
    await eventually(() => page.evaluate<string>('location.hash')).toMatch(/^#\/contacts\/segments\/[0-9a-f-]{36}$/);
    segmentId = (await page.evaluate<string>('location.hash')).split('/').pop()!;
    await settled(page);
    await page.getByText('No members yet.').waitFor();

    await page.getByRole('button', { name: 'Rename or describe' }).click();
    const edit = page.getByRole('form', { name: 'Change the segment' });
    await edit.getByLabel('Name').fill('Early adopters');
    await edit.getByLabel('Description (optional)').fill('Signed up in the first week');
    await edit.getByRole('button', { name: 'Save' }).click();
    await eventually(() => text(page.locator('#segment-title'))).toBe('Early adopters');
    expect(await text(page.locator('.segment-detail'))).toContain('Signed up in the first week');

    const finder = page.getByRole('form', { name: 'Find contacts to add' });
    for (const who of ['lovelace', 'cy@']) {
      await finder.getByLabel('Find contacts to add').fill(who);
      await finder.getByLabel('Find contacts to add').press('Enter');
      await eventually(() => page.getByTestId('found-contact').count()).toBe(1);
      await eventually(() => text(page.getByTestId('found-contact'))).toContain(who === 'cy@' ? 'Cy Young' : 'Ada');
      await page.getByTestId('found-contact').getByRole('button', { name: 'Add' }).click();
      await page.getByRole('status').filter({ hasText: 'is now a member.' }).waitFor();
    }
    await eventually(() => page.getByTestId('member-row').count()).toBe(2);
    await eventually(() => text(page.getByTestId('member-count'))).toBe('2 members');
    await page.getByTestId('found-contact').getByRole('button', { name: 'Add' }).click();
    await page.getByRole('status').filter({ hasText: 'cy@example.com was a member already.' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'segment.png'), fullPage: true });

    await page
      .locator(`[data-testid="member-row"][data-id="${adaId}"]`)
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByRole('status').filter({ hasText: 'ada@example.com is no longer a member.' }).waitFor();
    await eventually(() => page.getByTestId('member-row').count()).toBe(1);
    await eventually(() => text(page.getByTestId('member-count'))).toBe('1 member');

    // The audience of a campaign cannot go: the page names the campaign, and the segment stays.
    await db().session((s) =>
      s.query("INSERT INTO campaigns (tenant_id, workspace_id, title, segment_id) VALUES ($1, $2, 'Launch week', $3)", [
        t.tenantId,
        t.workspaceId,
        segmentId,
      ]),
    );
    await page.getByRole('button', { name: 'Delete segment' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(() => text(page.getByRole('alert'))).toMatch(/audience of campaign "Launch week"/);
    await db().session((s) => s.query('UPDATE campaigns SET segment_id = NULL WHERE segment_id = $1', [segmentId]));
    // Cancel changes nothing; confirming deletes it and goes back to the list.
    await page.getByRole('button', { name: 'Delete segment' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: 'Delete segment' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(() => page.evaluate<string>('location.hash')).toBe('#/contacts/segments');
    await settled(page);
    await eventually(() => page.getByTestId('segment-row').count()).toBe(1);
    expect(await text(page.getByTestId('segment-row'))).toMatch(/^Imported/);
  }, 120_000);

  it('opens a contact a campaign sent a message to: its fields, its history, its suppressions; changes its status', async () => {
    const w = await launchedCampaign(db(), t, {
      contacts: [],
      existingContacts: [adaId],
      steps: [
        { channel: 'email', variants: [{ label: 'A', subject: 'Spring', body: 'See https://example.com/spring' }] },
      ],
    });
    await db().session((s) => s.query("UPDATE campaigns SET title = 'Spring drip' WHERE id = $1", [w.campaignId]));
    expect((await deliver(db(), t, { publicUrl: api.url })).sent).toBe(1);
    const [toAda] = await sink.waitFor(1);
    await actOn(api.url, toAda!, 'open');
    await actOn(api.url, toAda!, 'click');
    await foldMessageEvents(db(), t.tenantId);

    const page = await signedIn(memberToken, 'contacts');
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await eventually(() => page.evaluate<string>('location.hash')).toBe(`#/contacts/${adaId}`);
    await settled(page);
    expect(await text(page.locator('#contact-title'))).toBe('Ada Lovelace');
    expect(await text(page.getByTestId('contact-fields'))).toMatch(/ada@example\.com.*Analytical.*plan.*pro/);
    await eventually(() => text(page.getByTestId('contact-suppressions'))).toMatch(/Not on the suppression list/);
    const message = page.getByTestId('message-row');
    await eventually(() => message.count()).toBe(1);
    expect(await text(message)).toMatch(
      /^Spring drip E-mail to ada@example\.com 1\. Step 1 Variant A sent .+ Opened .+ Clicked /i,
    );
    expect(await message.getByRole('link', { name: 'Spring drip' }).getAttribute('href')).toBe(
      `#/campaigns/${w.campaignId}`,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'contact.png'), fullPage: true });

    await page.getByLabel('Status').selectOption('unsubscribed');
    await page.getByRole('status').filter({ hasText: 'The status is now unsubscribed.' }).waitFor();
    await eventually(() => text(page.getByTestId('contact-suppressions'))).toMatch(
      /no message goes to a contact that is unsubscribed/,
    );
    const stored = await apiGet<{ status: string }>(`/api/contacts/${adaId}`);
    expect(stored.status).toBe('unsubscribed');

    // A contact nothing was sent to, and one that is not there.
    await page.goto(`${api.url}/#/contacts`);
    await settled(page);
    await page.getByRole('link', { name: 'Cy Young' }).click();
    await page.getByText('No campaign has sent this contact a message yet.').waitFor();
    await page.goto(`${api.url}/#/contacts/${crypto.randomUUID()}`);
    await eventually(() => text(page.getByRole('alert'))).toMatch(/Something went wrong\. no contact/);
  }, 120_000);

  it('reads at 390 px without sideways scrolling; a viewer sees contacts and segments but no control', async () => {
    const paths = ['contacts', 'contacts/segments', `contacts/${adaId}`];
    const { data } = await apiGet<{ data: { id: string; name: string }[] }>('/api/segments');
    const imported = data.find((s) => s.name === 'Imported')!.id;
    paths.push(`contacts/segments/${imported}`);
    for (const path of paths) {
      const narrow = await signedIn(memberToken, path, 390);
      const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, path).toBeLessThanOrEqual(0);
      if (path === `contacts/${adaId}`) {
        await narrow.getByTestId('message-row').waitFor();
        await narrow.screenshot({ path: join(SCREENSHOTS, 'contact-390.png'), fullPage: true });
      }
    }

    const viewer = await tokenFor(db(), t.tenantId, 'viewer');
    const people = await signedIn(viewer, 'contacts');
    await eventually(() => people.getByTestId('contact-row').count()).toBe(2);
    expect(await people.getByText('Import contacts from a CSV file').count()).toBe(0);
    const segments = await signedIn(viewer, 'contacts/segments');
    await segments.getByTestId('segment-row').first().waitFor();
    expect(await segments.getByRole('form', { name: 'New segment' }).count()).toBe(0);
    const segment = await signedIn(viewer, `contacts/segments/${imported}`);
    await eventually(() => segment.getByTestId('member-row').count()).toBe(2);
    expect(await segment.getByRole('button', { name: /Remove|Delete segment|Rename/ }).count()).toBe(0);
    expect(await segment.getByRole('form', { name: 'Find contacts to add' }).count()).toBe(0);
    const contact = await signedIn(viewer, `contacts/${adaId}`);
    await contact.getByTestId('message-row').waitFor();
    expect(await contact.getByLabel('Status').count()).toBe(0);
    expect(await text(contact.locator('main'))).toMatch(/Status: unsubscribed.*shown to members and admins/i);
  }, 120_000);
});
