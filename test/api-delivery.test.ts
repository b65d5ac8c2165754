// What delivery did and whom it must not reach, over real HTTP: a campaign sent through a local SMTP
// server, its recipients opening, clicking, replying, unsubscribing and bouncing, and the funnel
// and per-variant counts the API answers for it; the suppression list searched, filtered, paged
// and added to by hand (bad input named and nothing written); a contact found by its phone and its
// own entries on the list; the role each route needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { foldMessageEvents } from '../src/delivery/fold-events.ts';
import { recordMessageEvents } from '../src/delivery/recipient-events.ts';
import { actOn } from './support/delivery-recipient.ts';
import { deliver, launchedCampaign, messagesOf, senderTenant } from './support/delivery-world.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { type ApiClient, apiClient, expectFieldError, tokenFor, useTestApi } from './support/test-api.ts';

interface Suppression {
  channel: string;
  address: string;
  reason: string;
  note: string | null;
  created_at: string;
}

describe('/api/campaigns/{id}/delivery', () => {
  const { db, api, tenantClients } = useTestApi();
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('counts the recipients by the furthest stage they reached, and each variant’s messages', async () => {
    sink.reset();
    const t = await senderTenant(db(), { smtp: sink });
    const w = await launchedCampaign(db(), t, {
      contacts: ['ada', 'bob', 'cy', 'dee', 'eve'].map((name) => ({ email: `${name}@example.com`, first_name: name })),
      steps: [
        {
          channel: 'email',
          variants: [
            { label: 'A', subject: 'Hello', body: 'See https://example.com/a' },
            { label: 'B', subject: 'Hi', body: 'See https://example.com/b' },
            { label: 'C', subject: 'Killed', body: 'Never sent', status: 'killed' },
          ],
        },
        { channel: 'email', delayHours: 48, variants: [{ label: 'A', subject: 'Later', body: 'Still keen?' }] },
      ],
    });
    const viewer = apiClient(api(), await tokenFor(db(), t.tenantId, 'viewer'));

    const before = await viewer.get(`/api/campaigns/${w.campaignId}/delivery`);
    expect(before.status).toBe(200);
    expect(before.body.funnel).toEqual({
      queued: 5,
      sent: 0,
      delivered: 0,
      opened: 0,
      clicked: 0,
      replied: 0,
      bounced: 0,
      unsubscribed: 0,
    });
    expect(before.body.steps.map((s: { step_index: number }) => s.step_index)).toEqual([0, 1]);

    // eve's server refuses her for good: a bounce at sending, never sent.
    sink.refuseRecipient('eve@example.com');
    const report = await deliver(db(), t, { publicUrl: api().url });
    expect(report.sent).toBe(4);
    const received = await sink.waitFor(4);
    const to = (name: string) => received.find((m) => m.envelope.to[0] === `${name}@example.com`)!;
    await actOn(api().url, to('ada'), 'open');
    await actOn(api().url, to('ada'), 'click');
    await actOn(api().url, to('bob'), 'open');
    await actOn(api().url, to('dee'), 'unsubscribe');
    // A reply, as the inbound mail hook records one.
    const cy = (await messagesOf(db(), w)).find((m) => m.to_address === 'cy@example.com')!;
    await recordMessageEvents(tenantScoped(db(), t.tenantId), t.tenantId, [{ messageId: cy.id, kind: 'replied' }]);
    await foldMessageEvents(db(), t.tenantId);

    const after = await viewer.get(`/api/campaigns/${w.campaignId}/delivery`);
    expect(after.status).toBe(200);
    // cy replied without opening: a reply is further than an open or a click, so cy counts there too.
    expect(after.body.funnel).toEqual({
      queued: 5,
      sent: 4,
      delivered: 3,
      opened: 3,
      clicked: 2,
      replied: 1,
      bounced: 1,
      unsubscribed: 1,
    });
    const [first, second] = after.body.steps;
    expect(first).toMatchObject({ step_index: 0, asset_id: w.steps[0]!.assetId, name: 'Step 1', channel: 'email' });
    const variants = first.variants as { label: string; status: string; [count: string]: unknown }[];
    expect(variants.map((v) => [v.label, v.status])).toEqual([
      ['A', 'active'],
      ['B', 'active'],
      ['C', 'killed'],
    ]);
    const total = (field: string) => variants.reduce((sum, v) => sum + (v[field] as number), 0);
    expect(['sends', 'delivered', 'opens', 'clicks', 'replies', 'bounces', 'unsubscribes'].map(total)).toEqual([
      4, 0, 2, 1, 1, 1, 1,
    ]);
    expect(variants[2]).toMatchObject({ variant_id: w.steps[0]!.variants.C, sends: 0, bounces: 0 });
    // The second step waits for its delay: listed, nothing sent.
    expect(second.variants).toEqual([
      {
        variant_id: w.steps[1]!.variants.A,
        label: 'A',
        status: 'active',
        sends: 0,
        delivered: 0,
        opens: 0,
        clicks: 0,
        replies: 0,
        bounces: 0,
        unsubscribes: 0,
      },
    ]);
  });

  it('answers 404 for a campaign the tenant does not have', async () => {
    const { viewer } = await tenantClients();
    const missing = await viewer.get(`/api/campaigns/${crypto.randomUUID()}/delivery`);
    expect(missing.status).toBe(404);
    expect((await viewer.get('/api/campaigns/not-an-id/delivery')).status).toBe(404);
  });
});

describe('/api/suppressions', () => {
  const { tenantClients } = useTestApi();
  const list = async (client: ApiClient, query = '') => {
    const response = await client.get(`/api/suppressions${query}`);
    expect(response.status).toBe(200);
    return response.body as { data: Suppression[]; next_offset: number | null };
  };

  it('adds an address by hand (admin), lower-cased for e-mail; one already listed keeps its entry', async () => {
    const { admin, member, viewer } = await tenantClients();
    const added = await admin.post('/api/suppressions', {
      channel: 'email',
      address: ' Zed@Example.COM ',
      note: 'asked on the phone',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      channel: 'email',
      address: 'zed@example.com',
      reason: 'manual',
      message_id: null,
      note: 'asked on the phone',
    });
    const again = await admin.post('/api/suppressions', { channel: 'email', address: 'ZED@example.com' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(added.body);
    expect((await admin.post('/api/suppressions', { channel: 'sms', address: '+14155550100' })).status).toBe(201);

    expect((await member.post('/api/suppressions', { channel: 'sms', address: '+14155550101' })).status).toBe(403);
    expect((await viewer.get('/api/suppressions')).status).toBe(403);
    expect((await list(member)).data.map((s) => s.address).sort()).toEqual(['+14155550100', 'zed@example.com']);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const { admin } = await tenantClients();
    await admin.post('/api/suppressions', { channel: 'email', address: 'kept@example.com' });
    const before = await list(admin);
    const cases: [object | string, string][] = [
      [{ channel: 'sms', address: 'zed@example.com' }, 'address'],
      [{ channel: 'sms', address: '4155550100' }, 'address'],
      [{ channel: 'email', address: '+14155550100' }, 'address'],
      [{ channel: 'email', address: 'not an address' }, 'address'],
      [{ channel: 'email' }, 'address'],
      [{ channel: 'fax', address: 'zed@example.com' }, 'channel'],
      [{ address: 'zed@example.com' }, 'channel'],
      [{ channel: 'email', address: 'zed@example.com', note: 'x'.repeat(501) }, 'note'],
      [{ channel: 'email', address: 'zed@example.com', reason: 'hard_bounce' }, 'reason'],
    ];
    for (const [body, field] of cases) {
      expectFieldError(await admin.post('/api/suppressions', body), field, JSON.stringify(body));
    }
    const malformed = await admin.post('/api/suppressions', '{"channel": "email",');
    expect(malformed.status).toBe(400);
    for (const query of ['?channel=fax', '?limit=0', '?limit=201', '?offset=-1', '?sort=address']) {
      const refused = await admin.get(`/api/suppressions${query}`);
      expect(refused.status, query).toBe(422);
    }
    expect(await list(admin)).toEqual(before);
  });

  it('searches part of an address, literally and case-insensitively, filters by channel, and pages', async () => {
    const { admin } = await tenantClients();
    const entries = [
      ['email', 'ann@shop.example'],
      ['email', 'bo_b@shop.example'],
      ['email', 'cat@other.example'],
      ['sms', '+14155550111'],
      ['sms', '+442071838750'],
    ];
    for (const [channel, address] of entries) {
      expect((await admin.post('/api/suppressions', { channel, address })).status).toBe(201);
    }
    const addresses = (page: { data: Suppression[] }) => page.data.map((s) => s.address).sort();
    expect(addresses(await list(admin, '?search=SHOP.example'))).toEqual(['ann@shop.example', 'bo_b@shop.example']);
    // _ and % are the characters typed, not wildcards.
    expect(addresses(await list(admin, '?search=o_b'))).toEqual(['bo_b@shop.example']);
    expect(addresses(await list(admin, `?search=${encodeURIComponent('%')}`))).toEqual([]);
    expect(addresses(await list(admin, '?channel=sms'))).toEqual(['+14155550111', '+442071838750']);
    expect(addresses(await list(admin, '?channel=sms&search=4155'))).toEqual(['+14155550111']);

    const seen: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page = await list(admin, `?limit=2&offset=${offset}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((s) => s.address));
      offset = page.next_offset;
    }
    expect(seen.sort()).toEqual(entries.map(([, address]) => address).sort());
    // Newest first.
    const all = (await list(admin)).data;
    expect(all.map((s) => s.created_at)).toEqual([...all.map((s) => s.created_at)].sort().reverse());
  });

  it('finds a contact by its phone, and lists the entries of its e-mail address and phone', async () => {
    const { admin, member, viewer } = await tenantClients();
    const contact = await member.post('/api/contacts', {
      email: 'Quinn@Example.com',
      phone: '+14155550199',
      first_name: 'Quinn',
    });
    expect(contact.status).toBe(201);
    await member.post('/api/contacts', { email: 'other@example.com', phone: '+14155550200' });
    for (const q of ['+1415555019', '(415) 555-0199', '5550199', 'quinn']) {
      const found = await viewer.get(`/api/contacts?q=${encodeURIComponent(q)}`);
      expect(
        found.body.data.map((c: { id: string }) => c.id),
        q,
      ).toEqual([contact.body.id]);
    }

    const path = `/api/contacts/${contact.body.id}/suppressions`;
    expect((await member.get(path)).body).toEqual({ data: [] });
    await admin.post('/api/suppressions', { channel: 'email', address: 'quinn@example.com', note: 'by hand' });
    await admin.post('/api/suppressions', { channel: 'sms', address: '+14155550199' });
    await admin.post('/api/suppressions', { channel: 'sms', address: '+14155550200' });
    const own = await member.get(path);
    expect(own.status).toBe(200);
    expect(own.body.data.map((s: Suppression) => [s.channel, s.address, s.reason]).sort()).toEqual([
      ['email', 'quinn@example.com', 'manual'],
      ['sms', '+14155550199', 'manual'],
    ]);
    expect((await viewer.get(path)).status).toBe(403);
    expect((await member.get(`/api/contacts/${crypto.randomUUID()}/suppressions`)).status).toBe(404);
  });

  it('keeps each tenant’s list to itself', async () => {
    const [one, two] = [await tenantClients(), await tenantClients()];
    await one.admin.post('/api/suppressions', { channel: 'email', address: 'private@example.com' });
    expect((await list(two.admin)).data).toEqual([]);
    expect((await list(two.admin, '?search=private')).data).toEqual([]);
    // The same address is a separate entry in the other tenant.
    expect(
      (await two.admin.post('/api/suppressions', { channel: 'email', address: 'private@example.com' })).status,
    ).toBe(201);
  });
});
