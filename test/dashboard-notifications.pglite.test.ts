// Notification destinations from the dashboard, in Debian's Chromium against the API (in this
// process, over an embedded database) and a local HTTP receiver as the webhook's endpoint: an admin
// adds a webhook subscribed to two event types (a bad URL first, its message under the field), sees
// its signing secret once, sends a signed test; an event raised in the outbox fails once (the log
// shows the 500), is delivered on its retry, and "Resend" sends the same event id again; the secret
// is rolled, the destination turned off and on, changed, and deleted after a confirmation. A member
// sees no edit controls, a viewer no list; 1280 and 390 px, no console error.
// Screenshots: docs/screenshots/notifications.png, notifications-log.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { deliverDueNotifications } from '../src/notify/deliver.ts';
import type { NotificationEventType } from '../src/notify/event-types.ts';
import { recordNotificationEvents } from '../src/notify/outbox.ts';
import { SIGNATURE_HEADER, verifySignature } from '../src/notify/webhook-signature.ts';
import { buildDashboard, launchChromium, signedInAt, type WatchedPage } from './support/dashboard-browser.ts';
import { type HookReceiver, startHookReceiver } from './support/hook-receiver.ts';
import { createTenant, type TestTenant } from './support/scenario.ts';
import { startTestApi, type TestApi, testDeliveryDeps, tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
/** expect.poll with room for a busy machine: each answer the page waits for is an API round trip. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe('notification destinations in the dashboard, in a real browser', () => {
  const db = useTestDb();
  const deps = testDeliveryDeps();
  let api: TestApi;
  let receiver: HookReceiver;
  let browser: Browser;
  let t: TestTenant;
  let adminToken: string;
  let destinationId: string;
  let secret: string;
  const watched: WatchedPage[] = [];

  beforeAll(async () => {
    buildDashboard();
    receiver = await startHookReceiver();
    api = await startTestApi(db());
    t = await createTenant(db());
    adminToken = await tokenFor(db(), t.tenantId, 'admin');
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await receiver?.close();
    expect(watched.flatMap((w) => w.problems)).toEqual([]);
  });

  const signedIn = (token: string, path: string, width = 1280): Promise<Page> =>
    signedInAt(browser, watched, { baseUrl: api.url, token, path, width });
  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  /** A table row's cells as shown (textContent would run them together). */
  const cells = (row: Locator) => row.locator('td').evaluateAll((tds) => tds.map((td) => td.textContent?.trim()));
  const card = (page: Page) => page.locator(`[data-testid="destination"][data-id="${destinationId}"]`);
  /** The receiver's requests as envelopes, with whether their signature verifies with `key`. */
  const hooks = (key: string) =>
    receiver.received.map((hook) => ({
      ...(JSON.parse(hook.body) as { id: string; type: string }),
      verified: verifySignature(String(hook.headers[SIGNATURE_HEADER.toLowerCase()]), hook.body, key, new Date()).ok,
    }));

  function raise(type: NotificationEventType) {
    return tenantScoped(db(), t.tenantId).transaction((s) =>
      recordNotificationEvents(s, t.tenantId, [{ type, data: { reason: 'raised by the test' } }]),
    );
  }
  /** The notifications task, as the minute job runs it, `aheadMs` in the future (a retry's time). */
  const deliver = (aheadMs = 0) =>
    deliverDueNotifications(db(), deps, t.tenantId, { now: () => new Date(Date.now() + aheadMs) });

  it('adds a webhook (a bad URL is named under its field), shows its secret once, and sends a signed test', async () => {
    const page = await signedIn(adminToken, 'notifications');
    await page.getByText('No destination yet').waitFor();
    await page.getByRole('button', { name: 'Add a destination' }).click();
    const form = page.getByRole('form', { name: 'Add a destination' });
    expect(await form.getByLabel('Kind').inputValue()).toBe('webhook');
    await form.getByLabel('Name').fill('CRM hook');
    await form.getByLabel('Webhook URL').fill('ftp://example.com/hook');
    await form.getByLabel('Suggestion waiting for approval', { exact: true }).check();
    await form.getByLabel('Action failed', { exact: true }).check();
    // A webhook takes each event at once: its cadence is not a choice.
    expect(await form.getByLabel('How often: Action failed').isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Add destination' }).click();
    const urlError = form.locator('#destination-new-url-error');
    await urlError.waitFor();
    expect(await text(urlError)).toMatch(/https URL/);
    expect(await page.getByTestId('destination').count()).toBe(0);

    await form.getByLabel('Webhook URL').fill(`${receiver.url}/hooks/nightshift`);
    await form.getByRole('button', { name: 'Add destination' }).click();
    const shown = page.getByRole('region', { name: 'Signing secret' });
    await shown.waitFor();
    expect(await text(shown)).toContain('Shown once: store it where your receiver verifies Nightshift-Signature');
    secret = await text(shown.getByTestId('signing-secret'));
    expect(secret).toMatch(/^whsec_/);
    destinationId = (await page.getByTestId('destination').getAttribute('data-id'))!;
    const words = await text(card(page).getByTestId('subscriptions'));
    expect(words).toContain('Suggestion waiting for approval (at once)');
    expect(words).toContain('Action failed (at once)');
    expect(await text(card(page))).toContain(`${receiver.url}/hooks/nightshift`);
    await shown.getByRole('button', { name: 'I stored it' }).click();
    await eventually(() => page.getByTestId('signing-secret').count()).toBe(0);
    // Once: the page read again has no secret to show.
    await page.reload();
    await card(page).waitFor();
    expect(await page.getByTestId('signing-secret').count()).toBe(0);

    await card(page).getByRole('button', { name: 'Send a test' }).click();
    await eventually(() => text(card(page).getByTestId('test-answer'))).toMatch(
      /^Test delivered \(status 200, \d+ ms\)/,
    );
    expect(hooks(secret)).toEqual([expect.objectContaining({ type: 'test', verified: true })]);
    expect(receiver.received[0]!.path).toBe('/hooks/nightshift');
    await page.screenshot({ path: join(SCREENSHOTS, 'notifications.png'), fullPage: true });
  }, 120_000);

  it('logs an event’s failed attempt with its status code, its delivery on retry, and sends it again on Resend', async () => {
    receiver.reset();
    receiver.answer({ status: 500, body: 'receiver down' });
    expect(await raise('action.failed')).toBe(1);
    expect(await deliver()).toMatchObject({ attempts: 1, retrying: 1 });

    const page = await signedIn(adminToken, 'notifications');
    await card(page).getByRole('link', { name: 'Delivery log' }).click();
    await eventually(() => page.evaluate<string>('location.hash')).toBe(`#/notifications/${destinationId}`);
    await page.getByRole('heading', { name: 'Delivery log: CRM hook' }).waitFor();
    const row = page.getByTestId('delivery-row');
    await eventually(() => row.count()).toBe(1);
    const [event, status, attempts, answer, latency, next, error] = await cells(row);
    expect([event, status, attempts, answer, error]).toEqual([
      'Action failed',
      'pending',
      '1',
      '500',
      'HTTP 500: receiver down',
    ]);
    expect(latency).toMatch(/^\d+ ms$/);
    expect(next).not.toBe('—');

    // The retry, a minute on: delivered.
    expect(await deliver(2 * 60_000)).toMatchObject({ delivered: 1 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await eventually(async () => (await cells(row)).slice(1, 7)).toEqual([
      'delivered',
      '2',
      '200',
      expect.stringMatching(/ms$/),
      '—',
      '—',
    ]);
    const eventId = await row.getAttribute('data-event');
    expect(hooks(secret).map((h) => h.id)).toEqual([eventId, eventId]);

    await row.getByRole('button', { name: 'Resend' }).click();
    await eventually(() => text(row.locator('.badge'))).toBe('pending');
    expect(await deliver()).toMatchObject({ delivered: 1 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await eventually(() => text(row.locator('.badge'))).toBe('delivered');
    // The same event again (receivers dedupe on its id), signed as before.
    const sent = hooks(secret);
    expect(sent.map((h) => h.id)).toEqual([eventId, eventId, eventId]);
    expect(sent.every((h) => h.type === 'action.failed' && h.verified)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'notifications-log.png'), fullPage: true });
  }, 120_000);

  it('rolls the secret (asked first), turns the destination off and on, and changes what it takes', async () => {
    receiver.reset();
    const page = await signedIn(adminToken, 'notifications');
    await card(page).getByRole('button', { name: 'Roll secret' }).click();
    const ask = page.getByRole('dialog', { name: 'Roll the signing secret of CRM hook?' });
    await ask.getByRole('button', { name: 'Roll secret' }).click();
    const rolled = await text(card(page).getByTestId('signing-secret'));
    expect(rolled).toMatch(/^whsec_/);
    expect(rolled).not.toBe(secret);
    await card(page).getByRole('button', { name: 'Send a test' }).click();
    await eventually(() => text(card(page).getByTestId('test-answer'))).toMatch(/^Test delivered/);
    expect(hooks(rolled).map((h) => h.verified)).toEqual([true]);
    expect(hooks(secret).map((h) => h.verified)).toEqual([false]);
    secret = rolled;

    await card(page).getByRole('button', { name: 'Turn off' }).click();
    await eventually(() => text(card(page).getByTestId('disabled-reason'))).toMatch(/Off: turned off by a person/);
    expect(await text(card(page).locator('.badge'))).toBe('disabled');
    expect(await raise('action.failed')).toBe(0);
    await card(page).getByRole('button', { name: 'Turn on' }).click();
    await eventually(() => card(page).getByTestId('disabled-reason').count()).toBe(0);
    expect(await text(card(page).locator('.badge'))).toBe('active');

    await card(page).getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Change CRM hook' });
    expect(await form.getByLabel('Webhook URL').inputValue()).toBe(`${receiver.url}/hooks/nightshift`);
    await form.getByLabel('Name').fill('CRM webhook');
    await form.getByLabel('Suggestion waiting for approval', { exact: true }).uncheck();
    await form.getByRole('button', { name: 'Save destination' }).click();
    await eventually(() => text(card(page).locator('h2'))).toBe('CRM webhook');
    expect(await text(card(page).getByTestId('subscriptions'))).toBe('Action failed (at once)');
  }, 120_000);

  it('a member sees destinations and their log without edit controls; a viewer sees neither; 390 px reads', async () => {
    const member = await signedIn(await tokenFor(db(), t.tenantId, 'member'), 'notifications');
    await card(member).waitFor();
    for (const name of ['Add a destination', 'Edit', 'Turn off', 'Send a test', 'Roll secret', 'Delete'])
      expect(await member.getByRole('button', { name }).count(), name).toBe(0);
    await card(member).getByRole('link', { name: 'Delivery log' }).click();
    await eventually(() => member.getByTestId('delivery-row').count()).toBe(1);
    expect(await member.getByRole('button', { name: 'Resend' }).count()).toBe(0);

    const viewer = await signedIn(await tokenFor(db(), t.tenantId, 'viewer'), 'notifications');
    expect(await text(viewer.locator('main'))).toContain('Notification destinations are shown to members and admins.');
    expect(
      await viewer
        .getByRole('button')
        .filter({ hasText: /Add|Edit|Delete/ })
        .count(),
    ).toBe(0);

    for (const path of ['notifications', `notifications/${destinationId}`]) {
      const narrow = await signedIn(adminToken, path, 390);
      const overflow = await narrow.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  }, 120_000);

  it('a digest’s link to #/actions/failed opens the ledger filtered to failed actions', async () => {
    const page = await signedIn(adminToken, 'actions/failed');
    expect(await page.getByLabel('Status').inputValue()).toBe('failed');
  }, 60_000);

  it('deletes the destination only after the confirmation', async () => {
    const page = await signedIn(adminToken, 'notifications');
    await card(page).getByRole('button', { name: 'Delete' }).click();
    const ask = page.getByRole('dialog', { name: 'Delete CRM webhook?' });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    expect(await card(page).count()).toBe(1);
    await card(page).getByRole('button', { name: 'Delete' }).click();
    await ask.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No destination yet').waitFor();
    expect(await card(page).count()).toBe(0);
  }, 60_000);
});
