// Stats ingestion over HTTP: batch upsert, idempotence on campaign + day + channel, rollups kept
// current, whole-batch refusal naming each bad row, and reading a campaign's days back.
import { describe, expect, it } from 'vitest';
import { createCampaign, createTenant } from './support/scenario.ts';
import { expectFieldError, useTestApi } from './support/test-api.ts';

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('/api/stats', () => {
  const { db: testDb, tenantClients: clients } = useTestApi();

  async function world() {
    const { t, member, viewer } = await clients();
    const campaign = await createCampaign(testDb(), t, { budget: 100, hoursRunning: 24 * 10 });
    const rollup = async () => {
      const [row] = await testDb().session((s) =>
        s.query<{ spend: string; clicks: number }>(
          'SELECT spend, clicks FROM campaign_rollups WHERE tenant_id = $1 AND campaign_id = $2',
          [t.tenantId, campaign],
        ),
      );
      return row ? { spend: Number(row.spend), clicks: row.clicks } : undefined;
    };
    return { t, campaign, member, viewer, rollup };
  }

  it('upserts a batch, keeps the rollup current, and is idempotent on campaign + day + channel', async () => {
    const { campaign, member, viewer, rollup } = await world();
    const rows = [
      { campaign_id: campaign, stat_date: daysAgo(1), channel: 'email', sends: 100, clicks: 7, spend: 12.5 },
      { campaign_id: campaign, stat_date: daysAgo(1), channel: 'meta_ads', impressions: 1000, clicks: 20, spend: 40 },
      {
        campaign_id: campaign,
        stat_date: today(),
        channel: 'email',
        sends: 50,
        clicks: 3,
        spend: 5.25,
        revenue: 99.99,
      },
    ];
    const first = await member.post('/api/stats', { rows });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ rows: 3, inserted: 3, updated: 0, unchanged: 0 });
    expect(await rollup()).toEqual({ spend: 57.75, clicks: 30 });

    const again = await member.post('/api/stats', { rows });
    expect(again.body).toEqual({ rows: 3, inserted: 0, updated: 0, unchanged: 3 });
    expect(await rollup()).toEqual({ spend: 57.75, clicks: 30 });

    const corrected = await member.post('/api/stats', { rows: [{ ...rows[0], clicks: 9, spend: 10 }] });
    expect(corrected.body).toEqual({ rows: 1, inserted: 0, updated: 1, unchanged: 0 });
    expect(await rollup()).toEqual({ spend: 55.25, clicks: 32 });

    const read = await viewer.get(`/api/campaigns/${campaign}/stats?from=${daysAgo(1)}&channel=email`);
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual([
      expect.objectContaining({
        stat_date: daysAgo(1),
        channel: 'email',
        clicks: 9,
        spend: 10,
        sends: 100,
        revenue: 0,
        // Delivery's own count: a stats POST neither takes nor overwrites it.
        bounces: 0,
      }),
      expect.objectContaining({ stat_date: today(), channel: 'email', clicks: 3, spend: 5.25, revenue: 99.99 }),
    ]);
  });

  it('refuses the whole batch when any row is bad, naming each one, and writes nothing', async () => {
    const { t, campaign, member, rollup } = await world();
    const good = { campaign_id: campaign, stat_date: daysAgo(2), channel: 'email', clicks: 1 };
    const other = await createTenant(testDb());
    const foreign = await createCampaign(testDb(), other, { budget: 1, hoursRunning: 1 });
    const cases: [object[], string][] = [
      [[good, { ...good, clicks: -1 }], 'rows.1.clicks'],
      [[good, { ...good, spend: 1.234 }], 'rows.1.spend'],
      [[good, { ...good, channel: 'E-mail' }], 'rows.1.channel'],
      [[good, { ...good, stat_date: '2026-02-30' }], 'rows.1.stat_date'],
      [[good, { ...good, stat_date: daysAgo(-5) }], 'rows.1.stat_date'],
      [[good, { ...good, bounces: 3 }], 'rows.1.bounces'],
      [[good, { ...good }], 'rows.1'],
      [[good, { ...good, campaign_id: crypto.randomUUID() }], 'rows.1.campaign_id'],
      [[good, { ...good, campaign_id: foreign }], 'rows.1.campaign_id'],
    ];
    for (const [rows, field] of cases) {
      const response = await member.post('/api/stats', { rows });
      expectFieldError(response, field);
    }
    expect((await member.post('/api/stats', { rows: [] })).status).toBe(422);
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ ...good, stat_date: daysAgo(i % 3000) }));
    expect((await member.post('/api/stats', { rows: tooMany })).body.errors[0].field).toBe('rows');
    expect(await rollup()).toBeUndefined();
    const [{ n }] = (await testDb().session((s) =>
      s.query('SELECT count(*)::int AS n FROM campaign_channel_stats_daily WHERE tenant_id = $1', [t.tenantId]),
    )) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('takes 10,000 rows in one request', async () => {
    const { campaign, member, rollup } = await world();
    const channels = ['email', 'sms', 'meta_ads', 'google_ads'];
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      campaign_id: campaign,
      stat_date: daysAgo(Math.floor(i / channels.length)),
      channel: channels[i % channels.length],
      clicks: 1,
      spend: 0.5,
    }));
    const response = await member.post('/api/stats', { rows });
    expect(response.body).toEqual({ rows: 10_000, inserted: 10_000, updated: 0, unchanged: 0 });
    expect(await rollup()).toEqual({ spend: 5000, clicks: 10_000 });
  });

  it('needs the member role to write and answers 404 for another tenant’s campaign stats', async () => {
    const { campaign, viewer } = await world();
    const row = { campaign_id: campaign, stat_date: today(), channel: 'email' };
    expect((await viewer.post('/api/stats', { rows: [row] })).status).toBe(403);
    const stranger = (await clients()).admin;
    expect((await stranger.get(`/api/campaigns/${campaign}/stats`)).status).toBe(404);
    expect((await viewer.get(`/api/campaigns/${campaign}/stats?from=${today()}&to=${daysAgo(3)}`)).status).toBe(422);
  });
});
