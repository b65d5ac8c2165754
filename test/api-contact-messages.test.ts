// GET /api/contacts/{id}/messages over real HTTP: the messages a campaign sent a contact through
// the delivery worker and a local SMTP server, with their campaign, step, variant and what became
// of each (opened, clicked, bounced); newest first in cursor pages; a contact with none; bad
// paging named; another tenant's contact a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldMessageEvents } from '../src/delivery/fold-events.ts';
import { actOn } from './support/delivery-recipient.ts';
import { deliver, launchedCampaign, senderTenant } from './support/delivery-world.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { apiClient, expectFieldError, idsByPage, tokenFor, useTestApi } from './support/test-api.ts';

describe('/api/contacts/{id}/messages', () => {
  const { db, api, tenantClients } = useTestApi();
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('lists the messages sent to the contact, with their campaign, step and what became of them', async () => {
    sink.reset();
    const t = await senderTenant(db(), { smtp: sink });
    const first = await launchedCampaign(db(), t, {
      contacts: [{ email: 'ada@example.com', first_name: 'Ada' }, { email: 'bob@example.com' }],
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Spring', body: 'See https://example.com/a' }] }],
    });
    const [ada, bob] = first.contactIds as [string, string];
    await db().session((s) => s.query("UPDATE campaigns SET title = 'Spring drip' WHERE id = $1", [first.campaignId]));
    sink.refuseRecipient('bob@example.com');
    expect((await deliver(db(), t, { publicUrl: api().url })).sent).toBe(1);
    const [toAda] = await sink.waitFor(1);
    await actOn(api().url, toAda!, 'open');
    await actOn(api().url, toAda!, 'click');
    await foldMessageEvents(db(), t.tenantId);
    // A second campaign to Ada: her history spans campaigns, the newest first.
    const second = await launchedCampaign(db(), t, {
      contacts: [],
      existingContacts: [ada],
      steps: [{ channel: 'email', variants: [{ label: 'B', subject: 'Summer', body: 'Hello' }] }],
    });
    expect((await deliver(db(), t, { publicUrl: api().url })).sent).toBe(1);

    const viewer = apiClient(api(), await tokenFor(db(), t.tenantId, 'viewer'));
    const page = await viewer.get(`/api/contacts/${ada}/messages`);
    expect(page.status).toBe(200);
    expect(page.body.next_cursor).toBeNull();
    const [latest, earlier] = page.body.data;
    expect(page.body.data).toHaveLength(2);
    expect(latest).toMatchObject({
      campaign_id: second.campaignId,
      variant_label: 'B',
      status: 'sent',
      opened_at: null,
    });
    expect(earlier).toMatchObject({
      campaign_id: first.campaignId,
      campaign_title: 'Spring drip',
      step_index: 0,
      step_name: 'Step 1',
      variant_label: 'A',
      channel: 'email',
      to_address: 'ada@example.com',
      status: 'sent',
      error: null,
      bounced_at: null,
      replied_at: null,
    });
    for (const at of ['queued_at', 'sent_at', 'opened_at', 'clicked_at'])
      expect(Date.parse(earlier[at])).toBeGreaterThan(Date.now() - 600_000);
    expect(earlier).not.toHaveProperty('sort_key');
    expect(earlier).not.toHaveProperty('tenant_id');

    // Bob's server refused him for good: a bounce at sending, with the server's words.
    const bounced = await viewer.get(`/api/contacts/${bob}/messages`);
    expect(bounced.body.data).toHaveLength(1);
    expect(bounced.body.data[0]).toMatchObject({ status: 'bounced', sent_at: null });
    expect(bounced.body.data[0].error).toMatch(/\S/);
    expect(Date.parse(bounced.body.data[0].bounced_at)).toBeGreaterThan(0);

    // Cursor pages of one: the same messages, newest first.
    expect(await idsByPage(viewer, `/api/contacts/${ada}/messages`, 1)).toEqual([latest.id, earlier.id]);
  });

  it('answers an empty page for a contact with no messages, and names bad paging', async () => {
    const { member, viewer } = await tenantClients();
    const contact = await member.post('/api/contacts', { email: 'quiet@example.com' });
    const page = await viewer.get(`/api/contacts/${contact.body.id}/messages`);
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ data: [], next_cursor: null });
    expectFieldError(await viewer.get(`/api/contacts/${contact.body.id}/messages?limit=0`), 'limit');
    expectFieldError(await viewer.get(`/api/contacts/${contact.body.id}/messages?cursor=nonsense`), 'cursor');
    expectFieldError(await viewer.get(`/api/contacts/${contact.body.id}/messages?status=sent`), 'status');
  });

  it('keeps another tenant’s contact out of reach, and asks for a token', async () => {
    const mine = await tenantClients();
    const theirs = await tenantClients();
    const contact = await theirs.member.post('/api/contacts', { email: 'theirs@example.com' });
    expect((await mine.viewer.get(`/api/contacts/${contact.body.id}/messages`)).status).toBe(404);
    expect((await mine.viewer.get(`/api/contacts/${crypto.randomUUID()}/messages`)).status).toBe(404);
    expect((await apiClient(api(), null).get(`/api/contacts/${contact.body.id}/messages`)).status).toBe(401);
  });
});
