// /api/overview/campaigns and /api/overview/trend over real HTTP: the red and green cards are what a
// dry run of the cycle decides (ROI, spend, CTR and budgets checked against numbers worked out here
// from the inserted stats) and the call records nothing; the trend's daily series and ROI bands
// equal sums and counts made here from the rows inserted; another tenant's rows never show.
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { createCampaign, type TestTenant } from './support/scenario.ts';
import { apiClient, expectFieldError, useTestApi } from './support/test-api.ts';

const DAY_MS = 86_400_000;

/** The UTC date `daysAgo` days before the real today (the engine and the trend judge real days). */
const dayBefore = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);

interface StatRow {
  campaignId: string;
  date: string;
  channel: string;
  spend: number;
  revenue: number;
  clicks: number;
  impressions: number;
  conversions: number;
}

async function addRows(db: Database, t: TestTenant, rows: StatRow[]): Promise<void> {
  await db.session((s) =>
    s.query(
      `INSERT INTO campaign_channel_stats_daily (tenant_id, campaign_id, stat_date, channel, impressions, clicks,
                                                 conversions, spend, revenue)
       SELECT $1, * FROM unnest($2::uuid[], $3::date[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[],
                                $8::numeric[], $9::numeric[])`,
      [
        t.tenantId,
        rows.map((r) => r.campaignId),
        rows.map((r) => r.date),
        rows.map((r) => r.channel),
        rows.map((r) => r.impressions),
        rows.map((r) => r.clicks),
        rows.map((r) => r.conversions),
        rows.map((r) => r.spend),
        rows.map((r) => r.revenue),
      ],
    ),
  );
}

/** The same numbers on each of the last `n` days (today included), on one channel. */
const steady = (campaignId: string, n: number, day: Partial<StatRow> & { spend: number; revenue: number }) =>
  Array.from({ length: n }, (_, i) => ({
    campaignId,
    date: dayBefore(i),
    channel: 'google_ads',
    clicks: 200,
    impressions: 10_000,
    conversions: 0,
    ...day,
  }));

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('/api/overview/campaigns', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();

  const rowCounts = (t: TestTenant) =>
    testDb().session(async (s) => {
      const [row] = await s.query(
        `SELECT (SELECT count(*) FROM autonomous_actions WHERE tenant_id = $1)::int AS actions,
                (SELECT count(*) FROM autonomous_cycles WHERE tenant_id = $1)::int AS cycles,
                (SELECT count(*) FROM optimization_opportunities WHERE tenant_id = $1)::int AS opportunities,
                (SELECT string_agg(id || status || budget || version, ',' ORDER BY id) FROM campaigns WHERE tenant_id = $1)
                  AS campaigns`,
        [t.tenantId],
      );
      return row;
    });

  it('shows what the cycle would pause and scale, with lifetime spend and CTR, and records nothing', async () => {
    const { t, viewer, member } = await clients();
    // Critical ROI Pause (lifetime ROI 0.25 < 0.5 on 30 orders), autopilot on.
    const loser = await createCampaign(testDb(), t, { title: 'Loser', budget: 200, hoursRunning: 72 });
    const loserRows = steady(loser, 3, { spend: 400, revenue: 100, conversions: 10, clicks: 150, impressions: 10_000 });
    // Low ROI Pause (ROI 0.7 over 48 h on 63 orders), autopilot off: a suggestion. Two channels.
    const weak = await createCampaign(testDb(), t, { title: 'Weak', budget: 150, hoursRunning: 72, autopilot: false });
    const weakRows = [
      ...steady(weak, 3, { spend: 200, revenue: 140, conversions: 14, clicks: 40, impressions: 4_000 }),
      ...steady(weak, 3, {
        spend: 100,
        revenue: 70,
        conversions: 7,
        clicks: 5,
        impressions: 1_000,
        channel: 'meta_ads',
      }),
    ];
    // High ROI Scale (ROI 3.5, 16 conversions): budget x1.5; Exceptional (ROI 5, 20 conversions): x2.
    const winner = await createCampaign(testDb(), t, { title: 'Winner', budget: 100, hoursRunning: 96 });
    const star = await createCampaign(testDb(), t, { title: 'Star', budget: 120, hoursRunning: 96 });
    // Fine: ROI 2 matches nothing.
    const fine = await createCampaign(testDb(), t, { title: 'Fine', budget: 100, hoursRunning: 96 });
    await addRows(testDb(), t, [
      ...loserRows,
      ...weakRows,
      ...steady(winner, 2, { spend: 50, revenue: 175, conversions: 8 }),
      ...steady(star, 2, { spend: 50, revenue: 250, conversions: 10 }),
      ...steady(fine, 2, { spend: 50, revenue: 100, conversions: 5 }),
    ]);
    // Another tenant's loser and winner never show.
    const other = await clients();
    const otherLoser = await createCampaign(testDb(), other.t, { budget: 200, hoursRunning: 72 });
    const otherWinner = await createCampaign(testDb(), other.t, { budget: 100, hoursRunning: 96 });
    await addRows(testDb(), other.t, [
      ...steady(otherLoser, 3, { spend: 40, revenue: 1 }),
      ...steady(otherWinner, 2, { spend: 50, revenue: 300, conversions: 10 }),
    ]);

    const before = await rowCounts(t);
    const response = await viewer.get('/api/overview/campaigns');
    expect(response.status).toBe(200);
    const { body } = response;
    expect(await rowCounts(t)).toEqual(before);

    const evaluated = Date.parse(body.evaluated_at);
    expect(Math.abs(Date.now() - evaluated)).toBeLessThan(60_000);
    const started = await testDb().session((s) =>
      s.query<{ id: string; started_at: Date }>('SELECT id, started_at FROM campaigns WHERE tenant_id = $1', [
        t.tenantId,
      ]),
    );
    const hoursOf = (id: string) =>
      Math.floor((evaluated - new Date(started.find((c) => c.id === id)!.started_at).getTime()) / 3_600_000);
    const lifetime = (rows: StatRow[]) => ({
      spend: sum(rows.map((r) => r.spend)),
      roi: sum(rows.map((r) => r.revenue)) / sum(rows.map((r) => r.spend)),
      ctr: sum(rows.map((r) => r.clicks)) / sum(rows.map((r) => r.impressions)),
    });
    const [l, w] = [lifetime(loserRows), lifetime(weakRows)];
    expect([l.roi, l.spend]).toEqual([0.25, 1200]);
    expect(l.ctr).toBeCloseTo(0.015, 12);
    expect([w.roi, w.spend]).toEqual([0.7, 900]);
    expect(w.ctr).toBeCloseTo(0.009, 12);

    // Worst ROI first.
    expect(body.underperforming).toEqual([
      {
        campaign_id: loser,
        title: 'Loser',
        roi: l.roi,
        spend: l.spend,
        ctr: expect.closeTo(l.ctr, 10),
        hours_running: hoursOf(loser),
        budget: 200,
        recommendation: 'Critical ROI Pause: ROI 0.25x — ROI below 0.5 after $50 of spend: pause at once.',
        reason: expect.stringContaining('matched "Critical ROI Pause"'),
        mode: 'execute',
        confidence: expect.any(Number),
        rule: 'Critical ROI Pause',
      },
      {
        campaign_id: weak,
        title: 'Weak',
        roi: w.roi,
        spend: w.spend,
        ctr: expect.closeTo(w.ctr, 10),
        hours_running: hoursOf(weak),
        budget: 150,
        recommendation: 'Low ROI Pause: ROI 0.70x — ROI below 1.0 over the last 48 hours after $50 of spend.',
        reason: expect.stringContaining('matched "Low ROI Pause"'),
        mode: 'suggest',
        confidence: expect.any(Number),
        rule: 'Low ROI Pause',
      },
    ]);
    expect(hoursOf(loser)).toBeGreaterThanOrEqual(72);

    const scaling = Object.fromEntries(body.scaling.map((c: { campaign_id: string }) => [c.campaign_id, c]));
    expect(Object.keys(scaling).sort()).toEqual([winner, star].sort());
    expect(scaling[winner]).toMatchObject({
      title: 'Winner',
      roi: 3.5,
      budget: 100,
      suggested_budget: 150,
      rule: 'High ROI Scale',
      mode: 'execute',
      reason: expect.stringContaining('budget $100.00 -> $150.00'),
    });
    expect(scaling[star]).toMatchObject({
      title: 'Star',
      roi: 5,
      budget: 120,
      suggested_budget: 240,
      rule: 'Exceptional ROI Aggressive Scale',
    });
    // Most confident first.
    const confidences = body.scaling.map((c: { confidence: number }) => c.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));

    // The confidences are the engine's: the same as the preview of POST /api/cycles/dry-run.
    const dry = (await member.post('/api/cycles/dry-run')).body;
    const confidenceOf = Object.fromEntries(
      dry.decisions.map((d: { campaign_id: string; confidence: number }) => [d.campaign_id, d.confidence]),
    );
    for (const card of [...body.underperforming, ...body.scaling]) {
      expect(card.confidence, card.title).toBe(confidenceOf[card.campaign_id]);
    }
    expect(await rowCounts(t)).toEqual(before);

    expect(JSON.stringify(body)).not.toContain(otherLoser);
    expect(JSON.stringify(body)).not.toContain(otherWinner);
    expect((await apiClient(api(), null).get('/api/overview/campaigns')).status).toBe(401);
    expect((await viewer.get('/api/overview/campaigns?limit=5')).status).toBe(422);
  });

  it('is empty for a new tenant and lists at most 20 of each, worst ROI first', async () => {
    const { t, viewer } = await clients();
    expect((await viewer.get('/api/overview/campaigns')).body).toMatchObject({ underperforming: [], scaling: [] });

    // 22 losers with ROI 0.01 .. 0.22 (one order each): the 20 worst are shown.
    const losers: string[] = [];
    for (let i = 1; i <= 22; i++) {
      losers.push(await createCampaign(testDb(), t, { title: `Loser ${i}`, budget: 100, hoursRunning: 48 }));
    }
    await addRows(
      testDb(),
      t,
      losers.map((id, i) => ({
        campaignId: id,
        date: dayBefore(0),
        channel: 'email',
        spend: 100,
        revenue: i + 1,
        clicks: 10,
        impressions: 1000,
        conversions: 1,
      })),
    );
    const { body } = await viewer.get('/api/overview/campaigns');
    expect(body.underperforming.map((c: { campaign_id: string }) => c.campaign_id)).toEqual(losers.slice(0, 20));
    expect(body.underperforming.map((c: { roi: number }) => c.roi)).toEqual(
      Array.from({ length: 20 }, (_, i) => (i + 1) / 100),
    );
    expect(body.scaling).toEqual([]);
  });
});

describe('/api/overview/trend', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();

  it('sums spend and revenue per day, zero-filled, and counts active campaigns by ROI band', async () => {
    const { t, viewer } = await clients();
    await testDb().session((s) => s.query("UPDATE tenants SET currency = 'EUR' WHERE id = $1", [t.tenantId]));
    // Lifetime ROI per active campaign, on the bands' edges too; the rows spread over days and channels.
    const rois = [0.25, 0.5, 0.99, 1, 1.5, 2, 2.5, 4, 5, 7.5];
    const rows: StatRow[] = [];
    const active: string[] = [];
    for (const [i, roi] of rois.entries()) {
      const id = await createCampaign(testDb(), t, { title: `ROI ${roi}`, budget: 100, hoursRunning: 48 });
      active.push(id);
      const base = { clicks: 10, impressions: 100, conversions: 1 };
      rows.push(
        { campaignId: id, date: dayBefore(i % 4), channel: 'email', spend: 60, revenue: 60 * roi, ...base },
        { campaignId: id, date: dayBefore(i + 3), channel: 'meta_ads', spend: 40, revenue: 40 * roi, ...base },
      );
    }
    // Not counted in the bands: a paused campaign, an active one that spent nothing.
    const paused = await createCampaign(testDb(), t, { budget: 100, hoursRunning: 48, status: 'paused' });
    const idle = await createCampaign(testDb(), t, { budget: 100, hoursRunning: 48 });
    rows.push(
      {
        campaignId: paused,
        date: dayBefore(1),
        channel: 'email',
        spend: 12.25,
        revenue: 1,
        clicks: 0,
        impressions: 0,
        conversions: 0,
      },
      {
        campaignId: idle,
        date: dayBefore(2),
        channel: 'email',
        spend: 0,
        revenue: 0,
        clicks: 0,
        impressions: 0,
        conversions: 0,
      },
      // Older than any window asked for below but the 60-day one.
      {
        campaignId: idle,
        date: dayBefore(45),
        channel: 'email',
        spend: 0,
        revenue: 3,
        clicks: 0,
        impressions: 0,
        conversions: 0,
      },
    );
    await addRows(testDb(), t, rows);
    // Another tenant's stats on the same days never add in.
    const other = await clients();
    const foreign = await createCampaign(testDb(), other.t, { budget: 100, hoursRunning: 48 });
    await addRows(testDb(), other.t, steady(foreign, 10, { spend: 999, revenue: 1 }));

    const expectedDaily = (days: number) =>
      Array.from({ length: days }, (_, i) => {
        const date = dayBefore(days - 1 - i);
        const ofDay = rows.filter((r) => r.date === date);
        return {
          date,
          spend: expect.closeTo(sum(ofDay.map((r) => r.spend)), 6),
          revenue: expect.closeTo(sum(ofDay.map((r) => r.revenue)), 6),
        };
      });
    const bands: [string, number | null, number | null][] = [
      ['<0.5', null, 0.5],
      ['0.5-1', 0.5, 1],
      ['1-2', 1, 2],
      ['2-3', 2, 3],
      ['3-5', 3, 5],
      ['>=5', 5, null],
    ];
    const expectedBands = bands.map(([label, from, to]) => ({
      label,
      from,
      to,
      campaigns: rois.filter((roi) => (from === null || roi >= from) && (to === null || roi < to)).length,
    }));
    expect(expectedBands.map((b) => b.campaigns)).toEqual([1, 2, 2, 2, 1, 2]);

    const response = await viewer.get('/api/overview/trend');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      days: 30,
      currency: 'EUR',
      daily: expectedDaily(30),
      roi_distribution: expectedBands,
    });
    // Every day there, zero on days without stats, and the window's totals are the rows' totals.
    const daily: { spend: number; revenue: number }[] = response.body.daily;
    expect(daily.filter((d) => d.spend === 0 && d.revenue === 0).length).toBeGreaterThan(15);
    expect(sum(daily.map((d) => d.spend))).toBeCloseTo(sum(rows.map((r) => r.spend)), 6);
    expect(sum(daily.map((d) => d.revenue))).toBeCloseTo(sum(rows.map((r) => r.revenue)) - 3, 6);

    const week = (await viewer.get('/api/overview/trend?days=7')).body;
    expect(week.daily).toEqual(expectedDaily(7));
    expect(week.daily.at(-1).date).toBe(dayBefore(0));
    expect((await viewer.get('/api/overview/trend?days=1')).body.daily).toEqual(expectedDaily(1));
    const twoMonths = (await viewer.get('/api/overview/trend?days=60')).body;
    expect(twoMonths.daily).toEqual(expectedDaily(60));
    expect(sum(twoMonths.daily.map((d: { revenue: number }) => d.revenue))).toBeCloseTo(
      sum(rows.map((r) => r.revenue)),
      6,
    );
    expect((await viewer.get('/api/overview/trend?days=365')).body.daily).toHaveLength(365);
  });

  it('shows zeros and all six bands for a new tenant; rejects a bad `days` naming it; needs a token', async () => {
    const { viewer } = await clients();
    const { body } = await viewer.get('/api/overview/trend?days=3');
    expect(body).toEqual({
      days: 3,
      currency: 'USD',
      daily: [2, 1, 0].map((daysAgo) => ({ date: dayBefore(daysAgo), spend: 0, revenue: 0 })),
      roi_distribution: [
        { label: '<0.5', from: null, to: 0.5, campaigns: 0 },
        { label: '0.5-1', from: 0.5, to: 1, campaigns: 0 },
        { label: '1-2', from: 1, to: 2, campaigns: 0 },
        { label: '2-3', from: 2, to: 3, campaigns: 0 },
        { label: '3-5', from: 3, to: 5, campaigns: 0 },
        { label: '>=5', from: 5, to: null, campaigns: 0 },
      ],
    });
    for (const days of ['0', '366', 'ten', '1.5', '-3']) {
      expectFieldError(await viewer.get(`/api/overview/trend?days=${days}`), 'days', `days=${days}`);
    }
    expect((await viewer.get('/api/overview/trend?since=2026-01-01')).status).toBe(422);
    expect((await apiClient(api(), null).get('/api/overview/trend')).status).toBe(401);
  });
});
