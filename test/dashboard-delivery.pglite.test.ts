// E-mail delivery from the dashboard, in Debian's Chromium against the API (in this process, over
// an embedded database) and a local SMTP server that requires a login: the admin sets the e-mail
// sender through the form and sends a test message that arrives; a campaign goes out through the
// delivery worker, its recipients open, click, reply, unsubscribe and bounce, and the campaign's
// page shows the funnel and each variant's sends; the suppression list is searched after an address
// is added by hand; a sender whose password the server refuses shows the server's words until it
// is fixed. Screenshots: docs/screenshots/senders.png, campaign-delivery.png, contacts.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { foldMessageEvents } from '../src/delivery/fold-events.ts';
import { recordMessageEvents } from '../src/delivery/recipient-events.ts';
import { buildDashboard, launchChromium, settled, signedInAt, type WatchedPage } from './support/dashboard-browser.ts';
import { actOn } from './support/delivery-recipient.ts';
import { deliver, launchedCampaign, messagesOf } from './support/delivery-world.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
/** expect.poll with room for a busy machine: each answer the page waits for is an API round trip. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const SMTP_LOGIN = { username: 'shop', password: 'sink-password-0123' };

describe('delivery in the dashboard, in a real browser', () => {
  const db = useTestDb();
  let api: TestApi;
  let sink: SmtpSink;
  let browser: Browser;
  let t: TestTenant;
  let adminToken: string;
  let campaignId: string;
  const watched: WatchedPage[] = [];

  beforeAll(async () => {
    buildDashboard();
    sink = await startSmtpSink({ auth: SMTP_LOGIN });
    api = await startTestApi(db());
    t = await createTenant(db());
    adminToken = await tokenFor(db(), t.tenantId, 'admin');
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await sink?.close();
    expect(watched.flatMap((w) => w.problems)).toEqual([]);
  });

  /** A signed-in page (through the sign-in link) at `width` px, on `tab`. */
  const signedIn = (token: string, tab: string, width = 1280): Promise<Page> =>
    signedInAt(browser, watched, { baseUrl: api.url, token, path: tab, width });

  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ');

  it('sets the e-mail sender through the form, keeps its password write-only, and sends a test message that arrives', async () => {
    const page = await signedIn(adminToken, 'senders');
    const card = page.getByTestId('sender-email');
    expect(await text(card)).toContain('not set up');
    const form = page.getByRole('form', { name: 'E-mail sender' });
    await form.getByLabel('Host').fill(sink.host);
    await form.getByLabel('Port').fill('70000');
    await form.getByLabel('Security').selectOption('none');
    await form.getByLabel('Username').fill(SMTP_LOGIN.username);
    await form.getByLabel('Password').fill(SMTP_LOGIN.password);
    await form.getByLabel('From address').fill('news@shop.example');
    await form.getByLabel('From name').fill('The Shop');
    await form.getByRole('button', { name: 'Save e-mail sender' }).click();
    // The API's message for the field, next to it; nothing saved.
    await form.locator('#email-port-error').waitFor();
    expect(await text(form.locator('#email-port-error'))).toMatch(/at most 65535/i);
    expect(await text(card)).toContain('not set up');

    await form.getByLabel('Port').fill(String(sink.port));
    await form.getByRole('button', { name: 'Save e-mail sender' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await eventually(() => text(card)).toMatch(/active/);
    // The password went in and never comes back: the field is empty, its hint says one is set.
    expect(await form.getByLabel('Password').inputValue()).toBe('');
    expect(await text(form.locator('.hint').first())).toMatch(/^Set\. Leave empty to keep it/);
    const stored = await (
      await fetch(`${api.url}/api/senders`, { headers: { authorization: `Bearer ${adminToken}` } })
    ).text();
    expect(stored).not.toContain(SMTP_LOGIN.password);

    // Saving again without typing it keeps the stored password: the server still lets us in.
    await form.getByLabel('From name').fill('The Shop Team');
    await form.getByRole('button', { name: 'Save e-mail sender' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const test = page.getByRole('form', { name: 'Test the e-mail sender' });
    await test.getByLabel('Send to').fill('ops@shop.example');
    await test.getByRole('button', { name: 'Send a test message' }).click();
    const [arrived] = await sink.waitFor(1);
    expect(arrived!.envelope.to).toEqual(['ops@shop.example']);
    expect(arrived!.parsed.subject).toBe('Nightshift test message');
    expect(arrived!.parsed.from?.text).toMatch(/The Shop Team.*<news@shop\.example>/);
    await eventually(() => text(test.getByTestId('test-answer'))).toMatch(/^Sent: accepted by the SMTP server/);
    await eventually(() => text(card.getByTestId('sender-test-result'))).toMatch(/ok \(to ops@shop\.example\)/);
    expect(await text(page.getByTestId('inbound-mail-url'))).toContain(`${api.url}/hooks/email/inbound/${t.tenantId}/`);
    await page.screenshot({ path: join(SCREENSHOTS, 'senders.png'), fullPage: true });
  }, 120_000);

  it('shows a sent campaign’s funnel and each variant’s sends on its page', async () => {
    sink.reset();
    const w = await launchedCampaign(db(), t, {
      contacts: [
        { email: 'ada@example.com', first_name: 'Ada', phone: '+14155550123' },
        { email: 'bob@example.com', first_name: 'Bob' },
        { email: 'cy@example.com', first_name: 'Cy' },
        { email: 'dee@example.com', first_name: 'Dee' },
        { email: 'eve@example.com', first_name: 'Eve' },
      ],
      steps: [
        {
          channel: 'email',
          variants: [
            { label: 'A', subject: 'Spring offer', body: 'Hello {{first_name}}, see https://example.com/spring' },
            { label: 'B', subject: 'Our spring offer', body: 'Hi {{first_name}}: https://example.com/spring' },
            { label: 'C', subject: 'Retired', body: 'Never sent', status: 'killed' },
          ],
        },
        { channel: 'email', delayHours: 72, variants: [{ label: 'A', subject: 'Last call', body: 'Ends Sunday' }] },
      ],
    });
    campaignId = w.campaignId;
    sink.refuseRecipient('eve@example.com');
    expect((await deliver(db(), t, { publicUrl: api.url })).sent).toBe(4);
    const received = await sink.waitFor(4);
    const to = (name: string) => received.find((m) => m.envelope.to[0] === `${name}@example.com`)!;
    await actOn(api.url, to('ada'), 'open');
    await actOn(api.url, to('ada'), 'click');
    await actOn(api.url, to('bob'), 'open');
    await actOn(api.url, to('dee'), 'unsubscribe');
    const cy = (await messagesOf(db(), w)).find((m) => m.to_address === 'cy@example.com')!;
    await recordMessageEvents(tenantScoped(db(), t.tenantId), t.tenantId, [{ messageId: cy.id, kind: 'replied' }]);
    await foldMessageEvents(db(), t.tenantId);

    const page = await signedIn(adminToken, `campaigns/${campaignId}`);
    const funnel = page.getByRole('figure', { name: 'Delivery funnel' });
    await funnel.waitFor();
    const stages = await funnel
      .getByTestId('funnel-stage')
      .evaluateAll((items) =>
        items.map((li) => [li.getAttribute('data-stage'), li.querySelector('strong')?.textContent]),
      );
    expect(stages).toEqual([
      ['queued', '5'],
      ['sent', '4'],
      ['delivered', '3'],
      ['opened', '3'],
      ['clicked', '2'],
      ['replied', '1'],
      ['bounced', '1'],
      ['unsubscribed', '1'],
    ]);

    const table = page.getByRole('table', { name: 'Steps and variants' });
    expect(await text(table)).toMatch(/Step 1 · E-mail · Step 1.*Step 2 · E-mail · Step 2/);
    const sendsOf = async (variantId: string) => {
      const row = table.locator(`[data-testid="delivery-variant"][data-id="${variantId}"]`);
      return Number(await row.locator('td').nth(1).textContent());
    };
    const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((label) => sendsOf(w.steps[0]!.variants[label]!)));
    expect(a! + b!).toBe(4);
    expect(c).toBe(0);
    expect(await text(table.locator(`[data-id="${w.steps[0]!.variants.C}"]`))).toContain('killed');
    expect(await sendsOf(w.steps[1]!.variants.A!)).toBe(0);
    await funnel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-delivery.png'), fullPage: true });
  }, 120_000);

  it('finds a contact by phone, and searches the suppression list after an address is added by hand', async () => {
    const page = await signedIn(adminToken, 'contacts');
    const finder = page.getByRole('form', { name: 'Find a contact' });
    await finder.getByLabel('Find a contact').fill('(415) 555-0123');
    await finder.getByLabel('Find a contact').press('Enter');
    await eventually(() => page.getByTestId('contact-row').count()).toBe(1);
    const ada = page.getByTestId('contact-row');
    expect(await text(ada)).toMatch(/Ada.*ada@example\.com.*\+14155550123.*active/);
    await ada.getByRole('button', { name: 'Suppressions' }).click();
    await eventually(() => text(page.getByTestId('contact-suppressions'))).toMatch(/Not on the suppression list/);

    // The worker's entries: eve's hard bounce and dee's one-click unsubscribe.
    const rows = page.getByTestId('suppression-row');
    await eventually(() => rows.count()).toBe(2);
    expect(await text(page.locator('[data-address="eve@example.com"]'))).toMatch(/E-mail.*hard bounce/);
    expect(await text(page.locator('[data-address="dee@example.com"]'))).toMatch(/unsubscribed/);

    const add = page.getByRole('form', { name: 'Add an address to the suppression list' });
    await add.getByLabel('Channel').selectOption('sms');
    await add.getByLabel('Address').fill('zed@shop.example');
    await add.getByRole('button', { name: 'Add to the list' }).click();
    await add.locator('#suppress-address-error').waitFor();
    expect(await text(add.locator('#suppress-address-error'))).toMatch(/E\.164/);
    await add.getByLabel('Channel').selectOption('email');
    await add.getByLabel('Address').fill('Zed@Shop.example');
    await add.getByLabel('Note (optional)').fill('asked by phone');
    await add.getByRole('button', { name: 'Add to the list' }).click();
    await add.getByRole('status').filter({ hasText: 'zed@shop.example is on the suppression list.' }).waitFor();
    await eventually(() => rows.count()).toBe(3);

    const search = page.getByRole('form', { name: 'Search the list' });
    await search.getByLabel('Search the list').fill('ZED');
    await search.getByRole('button', { name: 'Search' }).click();
    await eventually(() => rows.count()).toBe(1);
    expect(await text(rows)).toMatch(/E-mail.*zed@shop\.example.*manual.*asked by phone/);
    const channel = page.getByRole('region', { name: 'Suppression list' }).locator('.filters').getByLabel('Channel');
    await channel.selectOption('sms');
    await page.getByText('No address on the list matches.').waitFor();
    await channel.selectOption('');
    await search.getByLabel('Search the list').fill('');
    await search.getByRole('button', { name: 'Search' }).click();
    await eventually(() => rows.count()).toBe(3);

    // Eve's own entries, from her row.
    await finder.getByLabel('Find a contact').fill('eve');
    await finder.getByLabel('Find a contact').press('Enter');
    await eventually(() => text(page.getByTestId('contact-row'))).toMatch(/eve@example\.com/);
    await page.getByTestId('contact-row').getByRole('button', { name: 'Suppressions' }).click();
    await expect
      .poll(() => text(page.getByTestId('contact-suppressions')))
      .toMatch(/eve@example\.com stopped: hard bounce/);
    await page.screenshot({ path: join(SCREENSHOTS, 'contacts.png'), fullPage: true });
  }, 120_000);

  it('a sender whose password the server refuses shows the server’s words, until it is saved right', async () => {
    const page = await signedIn(adminToken, 'senders');
    const form = page.getByRole('form', { name: 'E-mail sender' });
    await form.getByLabel('Password').fill('an-old-password');
    await form.getByRole('button', { name: 'Save e-mail sender' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await launchedCampaign(db(), t, {
      contacts: [{ email: 'fay@example.com' }],
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hello', body: 'Hi' }] }],
    });
    expect((await deliver(db(), t, { publicUrl: api.url })).sent).toBe(0);

    await page.reload();
    await settled(page);
    const card = page.getByTestId('sender-email');
    const alert = card.getByRole('alert').filter({ hasText: 'Needs attention' });
    await alert.waitFor();
    expect(await text(alert)).toMatch(/authentication failed/);
    expect(await text(card)).toMatch(/needs attention/);

    await form.getByLabel('Password').fill(SMTP_LOGIN.password);
    await form.getByRole('button', { name: 'Save e-mail sender' }).click();
    await eventually(() => card.getByRole('alert').count()).toBe(0);
    expect(await text(card.locator('.badge').first())).toBe('active');
  }, 120_000);

  it('reads at 390 px without sideways scrolling; a viewer sees contacts but no list and no sender', async () => {
    for (const tab of ['senders', 'contacts', `campaigns/${campaignId}`]) {
      const narrow = await signedIn(adminToken, tab, 390);
      const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, tab).toBeLessThanOrEqual(0);
    }
    const viewer = await tokenFor(db(), t.tenantId, 'viewer');
    const contacts = await signedIn(viewer, 'contacts');
    await eventually(() => contacts.getByTestId('contact-row').count()).toBeGreaterThan(0);
    expect(await contacts.getByRole('button', { name: 'Suppressions' }).count()).toBe(0);
    expect(await text(contacts.locator('main'))).toContain('The suppression list is shown to members and admins.');
    const senders = await signedIn(viewer, 'senders');
    expect(await text(senders.locator('main'))).toContain('The senders are shown to members and admins.');
    expect(await senders.getByRole('form').count()).toBe(0);
  }, 120_000);
});
