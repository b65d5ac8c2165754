// The weekly summary against answers computed here from the very rows the test generates: two
// weeks (and the days around them) of daily stats on two channels per campaign, ingested as the
// stats API ingests them; a ledger with actions in, at the edges of and outside the week; live and
// closed opportunities; and a second tenant whose rows must never show. Expected money is summed in
// cents and ratios rounded with integer arithmetic, so the comparison is exact.
import { beforeAll, describe, expect, it } from 'vitest';
import { computeWeeklySummary, lastCompleteWeek, storeWeeklySummary } from '../src/cmo/weekly-summary.ts';
import { TOTAL_METRICS, type WeeklySummary } from '../src/contract/weekly-summary.ts';
import type { Database } from '../src/db/port.ts';
import { upsertStats } from '../src/db/repositories/stats.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import type { StatRow } from '../src/domain/metrics.ts';
import { measureActualImpact } from '../src/ledger/actual-impact.ts';
import { createCampaign, createTenant, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const WEEK = '2026-11-09';
const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
/** 2026-10-31 … 2026-11-17: the two weeks and two days on either side. */
const DAYS = Array.from({ length: 18 }, (_, i) => addDays('2026-10-31', i));

interface Raw {
  campaign: string;
  day: string;
  channel: string;
  impressions: number;
  clicks: number;
  sends: number;
  replies: number;
  meetings: number;
  conversions: number;
  spendCents: number;
  revenueCents: number;
  /** Delivery's own count: written as the delivery worker writes it, not by the stats upsert. */
  bounces: number;
}

/** round(a / b, places) as Postgres rounds numeric (half away from zero), exactly, for integers. */
function roundDiv(a: number, b: number, places: number): number {
  const scale = 10 ** places;
  const units = Math.floor((2 * Math.abs(a) * scale + Math.abs(b)) / (2 * Math.abs(b)));
  return (Math.sign(a) * Math.sign(b) < 0 ? -units : units) / scale;
}
/** The same, in units of 10^-places (an integer), or null without a divisor. */
const ratioUnits = (a: number, b: number, places = 4) => (b === 0 ? null : Math.round(roundDiv(a, b, places) * 1e4));

interface CampaignDef {
  title: string;
  kind: 'paid' | 'outbound';
  /** A pure function of the day and channel index: the campaign's figures. */
  make: (d: number, c: number) => Omit<Raw, 'campaign' | 'day' | 'channel'>;
}

/** A paid campaign earning about roiPct / 100 of its spend; `times` multiplies every figure (same ROI). */
const paid =
  (k: number, roiPct: number, times = 1) =>
  (d: number, c: number) => {
    const spendCents = 1_000 + ((k * 7_919 + d * 1_049 + c * 2_999) % 9_000);
    return {
      impressions: (1_000 + ((k * 13 + d * 7 + c * 3) % 500)) * times,
      clicks: (20 + ((k + d * 3 + c) % 40)) * times,
      sends: 0,
      replies: 0,
      meetings: 0,
      bounces: 0,
      conversions: ((k + d + c) % 4) * times,
      spendCents: spendCents * times,
      revenueCents: (Math.floor((spendCents * roiPct) / 100) + ((d * 31 + c * 17) % 300)) * times,
    };
  };

const outbound = (k: number, sendsPerDay: number) => (d: number, c: number) => ({
  impressions: 0,
  clicks: 0,
  sends: sendsPerDay,
  replies: (d * k + c) % 4,
  meetings: (d + k + c) % 5 === 0 ? 1 : 0,
  bounces: (d * 3 + k + c) % 3,
  conversions: 0,
  spendCents: 0,
  revenueCents: 0,
});

// Ties on purpose: "Delta twin" is "Delta" doubled (same ROI, more revenue); "Echo" and "echo" are
// identical (same ROI and revenue: the title decides, in byte order, whatever the collation).
const CAMPAIGNS: CampaignDef[] = [
  { title: 'Alpha', kind: 'paid', make: paid(1, 180) },
  { title: 'Bravo', kind: 'paid', make: paid(2, 95) },
  { title: 'Charlie', kind: 'paid', make: paid(3, 140) },
  { title: 'Delta', kind: 'paid', make: paid(4, 320) },
  { title: 'Delta twin', kind: 'paid', make: paid(4, 320, 2) },
  { title: 'echo', kind: 'paid', make: paid(5, 40) },
  { title: 'Echo', kind: 'paid', make: paid(5, 40) },
  { title: 'Outbound A', kind: 'outbound', make: outbound(1, 10) },
  { title: 'Outbound B', kind: 'outbound', make: outbound(2, 12) },
  { title: 'Outbound C', kind: 'outbound', make: outbound(3, 9) },
  { title: 'Outbound D', kind: 'outbound', make: outbound(5, 20) },
  // 7 sends a day on one channel: 49 in the week, one short of being ranked.
  { title: 'Outbound small', kind: 'outbound', make: outbound(4, 7) },
];

function rowsOf(campaign: string, def: CampaignDef): Raw[] {
  const channels =
    def.kind === 'paid' ? ['google_ads', 'meta'] : def.title === 'Outbound small' ? ['email'] : ['email', 'sms'];
  return DAYS.flatMap((day, d) => channels.map((channel, c) => ({ campaign, day, channel, ...def.make(d, c) })));
}

async function ingest(db: Database, t: TestTenant, rows: Raw[]): Promise<void> {
  const stats: StatRow[] = rows.map((r) => ({
    campaign_id: r.campaign,
    stat_date: r.day,
    channel: r.channel,
    impressions: r.impressions,
    sends: r.sends,
    opens: 0,
    clicks: r.clicks,
    replies: r.replies,
    meetings: r.meetings,
    conversions: r.conversions,
    spend: r.spendCents / 100,
    revenue: r.revenueCents / 100,
  }));
  await tenantScoped(db, t.tenantId).transaction(async (s) => {
    await upsertStats(s, t.tenantId, stats);
    await s.query(
      `UPDATE campaign_channel_stats_daily st SET bounces = b.bounces
         FROM unnest($2::uuid[], $3::date[], $4::text[], $5::int[]) AS b (campaign_id, stat_date, channel, bounces)
        WHERE st.tenant_id = $1 AND st.campaign_id = b.campaign_id AND st.stat_date = b.stat_date AND st.channel = b.channel`,
      [
        t.tenantId,
        rows.map((r) => r.campaign),
        rows.map((r) => r.day),
        rows.map((r) => r.channel),
        rows.map((r) => r.bounces),
      ],
    );
  });
}

// ---- the expected summary, from the raw rows ----

const inWeek = (day: string, start: string) => day >= start && day <= addDays(start, 6);
const sum = (rows: Raw[], pick: (r: Raw) => number) => rows.reduce((total, r) => total + pick(r), 0);

function comparison(thisUnits: number | null, prevUnits: number | null, scale: number) {
  const change = thisUnits === null || prevUnits === null ? null : thisUnits - prevUnits;
  return {
    this_week: thisUnits === null ? null : thisUnits / scale,
    previous_week: prevUnits === null ? null : prevUnits / scale,
    change: change === null ? null : change / scale,
    change_pct: change === null || !prevUnits ? null : roundDiv(change, prevUnits, 4),
  };
}

function expectedTotals(rows: Raw[]) {
  const week = rows.filter((r) => inWeek(r.day, WEEK));
  const prev = rows.filter((r) => inWeek(r.day, addDays(WEEK, -7)));
  const both = (pick: (r: Raw) => number, scale = 1) => comparison(sum(week, pick), sum(prev, pick), scale);
  const roi = (rs: Raw[]) =>
    ratioUnits(
      sum(rs, (r) => r.revenueCents),
      sum(rs, (r) => r.spendCents),
    );
  return {
    spend: both((r) => r.spendCents, 100),
    revenue: both((r) => r.revenueCents, 100),
    roi: comparison(roi(week), roi(prev), 1e4),
    impressions: both((r) => r.impressions),
    clicks: both((r) => r.clicks),
    sends: both((r) => r.sends),
    replies: both((r) => r.replies),
    meetings: both((r) => r.meetings),
    conversions: both((r) => r.conversions),
    bounces: both((r) => r.bounces),
  };
}

function expectedRankings(rows: Raw[], titles: Map<string, string>) {
  const week = rows.filter((r) => inWeek(r.day, WEEK));
  const campaigns = [...new Set(week.map((r) => r.campaign))].map((id) => {
    const of = week.filter((r) => r.campaign === id);
    const [spend, revenue, sends, replies] = [
      sum(of, (r) => r.spendCents),
      sum(of, (r) => r.revenueCents),
      sum(of, (r) => r.sends),
      sum(of, (r) => r.replies),
    ];
    const roi = ratioUnits(revenue, spend);
    const replyRate = ratioUnits(replies, sends);
    return {
      item: {
        campaign_id: id,
        title: titles.get(id)!,
        spend: spend / 100,
        revenue: revenue / 100,
        roi: roi === null ? null : roi / 1e4,
        reply_rate: replyRate === null ? null : replyRate / 1e4,
        conversions: sum(of, (r) => r.conversions),
        sends,
        replies,
        meetings: sum(of, (r) => r.meetings),
      },
      ranking: spend > 0 ? 'roi' : sends >= 50 ? 'reply_rate' : null,
      ratio: (spend > 0 ? roi : replyRate) ?? 0,
      revenue,
    };
  });
  const lists = (ranking: string) => {
    const ordered = campaigns
      .filter((c) => c.ranking === ranking)
      .sort(
        (a, b) =>
          b.ratio - a.ratio ||
          b.revenue - a.revenue ||
          (a.item.title < b.item.title ? -1 : a.item.title > b.item.title ? 1 : 0) ||
          (a.item.campaign_id < b.item.campaign_id ? -1 : 1),
      )
      .map((c) => c.item);
    return { best: ordered.slice(0, 3), worst: ordered.slice(Math.max(3, ordered.length - 3)).reverse() };
  };
  const [roi, reply] = [lists('roi'), lists('reply_rate')];
  return {
    best_campaigns: roi.best,
    worst_campaigns: roi.worst,
    best_by_reply_rate: reply.best,
    worst_by_reply_rate: reply.worst,
  };
}

// ---- the world ----

interface ActionSpec {
  type: string;
  status: string;
  executed?: string;
  rolledBack?: string;
  impact?: object;
}

async function addAction(db: Database, t: TestTenant, campaign: string, spec: ActionSpec): Promise<string> {
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status, executed_at, rolled_back_at,
                                       actual_impact)
       VALUES ($1, $2, $3, 'test', $4, $5, $6, $7) RETURNING id`,
      [
        t.tenantId,
        campaign,
        spec.type,
        spec.status,
        spec.executed ?? null,
        spec.rolledBack ?? null,
        spec.impact ? JSON.stringify(spec.impact) : null,
      ],
    ),
  );
  return row!.id;
}

interface OpportunitySpec {
  campaign: string;
  type: string;
  severity: string;
  status: string;
  confidence: number | null;
}

async function addOpportunity(db: Database, t: TestTenant, spec: OpportunitySpec): Promise<string> {
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      `INSERT INTO optimization_opportunities (tenant_id, campaign_id, opportunity_type, severity, description,
                                               suggested_action, status, confidence_score)
       VALUES ($1, $2, $3, $4, $5, 'do something', $6, $7) RETURNING id`,
      [t.tenantId, spec.campaign, spec.type, spec.severity, `${spec.type} on it`, spec.status, spec.confidence],
    ),
  );
  return row!.id;
}

interface World {
  t: TestTenant;
  titles: Map<string, string>;
  rows: Raw[];
  byTitle: (title: string) => string;
}

async function buildWorld(db: Database, defs: CampaignDef[]): Promise<World> {
  const t = await createTenant(db);
  const titles = new Map<string, string>();
  const rows: Raw[] = [];
  for (const def of defs) {
    const id = await createCampaign(db, t, { title: def.title, budget: 100, hoursRunning: 24 * 40 });
    titles.set(id, def.title);
    rows.push(...rowsOf(id, def));
  }
  await ingest(db, t, rows);
  const byTitle = (title: string) => [...titles].find(([, name]) => name === title)![0];
  return { t, titles, rows, byTitle };
}

const summarize = (db: Database, t: TestTenant, weekStart = WEEK) =>
  tenantScoped(db, t.tenantId).transaction((s) => computeWeeklySummary(s, t.tenantId, weekStart));

describe('weekly summary', () => {
  const testDb = useTestDb();
  let world: World;
  let other: World;
  let measuredIds: { real: string; large: string };
  let opportunities: (OpportunitySpec & { id: string })[];

  beforeAll(async () => {
    const db = testDb();
    world = await buildWorld(db, CAMPAIGNS);
    const { t, byTitle } = world;
    const [alpha, bravo, charlie, delta] = ['Alpha', 'Bravo', 'Charlie', 'Delta'].map(byTitle) as [
      string,
      string,
      string,
      string,
    ];
    // Executed 2026-11-02 10:00, measured by the engine on 2026-11-12 (within the week).
    const real = await addAction(db, t, alpha, {
      type: 'auto_scale_up',
      status: 'executed',
      executed: '2026-11-02T10:00Z',
    });
    await measureActualImpact(db, { tenantId: t.tenantId, now: new Date('2026-11-12T06:00:00Z') });
    const large = await addAction(db, t, bravo, {
      type: 'auto_pause',
      status: 'executed',
      executed: '2026-11-05T08:00Z',
      impact: { measured_at: '2026-11-15T23:59:59.999Z', change: { revenue: -5_000.5, spend: -1_200, roi: null } },
    });
    measuredIds = { real, large };
    const ledger: [string, ActionSpec][] = [
      // In the week, at both edges.
      [alpha, { type: 'auto_pause', status: 'executed', executed: '2026-11-09T00:00:00Z' }],
      [bravo, { type: 'auto_scale_up', status: 'executed', executed: '2026-11-15T23:59:59Z' }],
      [charlie, { type: 'auto_scale_up', status: 'executed', executed: '2026-11-10T12:00:00Z' }],
      // Outside it.
      [alpha, { type: 'auto_scale_up', status: 'executed', executed: '2026-11-16T00:00:00Z' }],
      [alpha, { type: 'auto_pause', status: 'executed', executed: '2026-11-08T23:59:59Z' }],
      // Executed and rolled back in the week; executed before and rolled back in it; executed in it, rolled back after.
      [
        delta,
        { type: 'notify', status: 'rolled_back', executed: '2026-11-11T09:00Z', rolledBack: '2026-11-12T09:00Z' },
      ],
      [
        delta,
        { type: 'auto_pause', status: 'rolled_back', executed: '2026-11-02T09:00Z', rolledBack: '2026-11-10T09:00Z' },
      ],
      [
        charlie,
        { type: 'auto_pause', status: 'rolled_back', executed: '2026-11-14T09:00Z', rolledBack: '2026-11-17T09:00Z' },
      ],
      // A person's undo is its own ledger row: counted as a rollback, not an action executed.
      [delta, { type: 'rollback', status: 'executed', executed: '2026-11-12T09:00Z' }],
      [alpha, { type: 'auto_pause', status: 'pending' }],
      [bravo, { type: 'auto_scale_up', status: 'pending' }],
      [bravo, { type: 'auto_pause', status: 'dismissed' }],
      // Measured, but after the week.
      [
        charlie,
        {
          type: 'notify',
          status: 'executed',
          executed: '2026-11-06T08:00Z',
          impact: { measured_at: '2026-11-16T00:00:00.000Z', change: { revenue: 99_999, spend: 1, roi: 1 } },
        },
      ],
    ];
    for (const [campaign, spec] of ledger) await addAction(db, t, campaign, spec);

    const specs: OpportunitySpec[] = [
      { campaign: alpha, type: 'low_conversion', severity: 'critical', status: 'open', confidence: 0.7 },
      { campaign: bravo, type: 'creative_fatigue', severity: 'high', status: 'in_progress', confidence: 0.9 },
      { campaign: charlie, type: 'budget_inefficiency', severity: 'high', status: 'open', confidence: 0.95 },
      { campaign: delta, type: 'audience_mismatch', severity: 'medium', status: 'open', confidence: 0.99 },
      { campaign: alpha, type: 'creative_fatigue', severity: 'low', status: 'open', confidence: 0.99 },
      { campaign: bravo, type: 'timing_optimization', severity: 'medium', status: 'open', confidence: null },
      { campaign: charlie, type: 'low_conversion', severity: 'critical', status: 'resolved', confidence: 0.99 },
      { campaign: delta, type: 'declining_performance', severity: 'high', status: 'dismissed', confidence: 0.99 },
    ];
    opportunities = [];
    for (const spec of specs) opportunities.push({ ...spec, id: await addOpportunity(db, t, spec) });

    // Another tenant, busier than this one in every way.
    other = await buildWorld(db, [
      { title: 'Other tenant paid', kind: 'paid', make: paid(9, 900, 50) },
      { title: 'Other tenant outbound', kind: 'outbound', make: outbound(9, 500) },
    ]);
    const theirs = other.byTitle('Other tenant paid');
    await addAction(db, other.t, theirs, { type: 'auto_pause', status: 'executed', executed: '2026-11-10T00:00Z' });
    await addAction(db, other.t, theirs, { type: 'auto_pause', status: 'pending' });
    await addAction(db, other.t, theirs, {
      type: 'notify',
      status: 'executed',
      executed: '2026-11-01T00:00Z',
      impact: { measured_at: '2026-11-10T00:00:00.000Z', change: { revenue: 1, spend: 1, roi: 1 } },
    });
    await addOpportunity(db, other.t, {
      campaign: theirs,
      type: 'low_conversion',
      severity: 'critical',
      status: 'open',
      confidence: 1,
    });
  });

  it('finds the last complete ISO week in UTC days', () => {
    const cases: [string, string, string][] = [
      ['2026-11-16T09:00:00Z', '2026-11-09', '2026-11-15'], // Monday morning: the week just ended
      ['2026-11-16T00:00:00Z', '2026-11-09', '2026-11-15'], // the very instant it ended
      ['2026-11-15T23:59:59Z', '2026-11-02', '2026-11-08'], // Sunday night: this week is not over
      ['2026-11-18T15:30:00Z', '2026-11-09', '2026-11-15'], // a Wednesday
      ['2027-01-01T12:00:00Z', '2026-12-21', '2026-12-27'], // across a year
    ];
    for (const [now, weekStart, weekEnd] of cases) {
      expect(lastCompleteWeek(new Date(now)), now).toEqual({ weekStart, weekEnd });
    }
  });

  it('adds up the week and the week before, with exact changes', async () => {
    const summary = await summarize(testDb(), world.t);
    expect(summary).toMatchObject({
      week_start: '2026-11-09',
      week_end: '2026-11-15',
      previous_week_start: '2026-11-02',
      currency: 'USD',
    });
    expect(Math.abs(Date.parse(summary.generated_at) - Date.now())).toBeLessThan(60_000);
    expect(Object.keys(summary.totals).sort()).toEqual([...TOTAL_METRICS].sort());
    expect(summary.totals).toEqual(expectedTotals(world.rows));
    // And it is plain JSON.
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('ranks campaigns by ROI and outbound campaigns by reply rate, disjointly, ties by revenue then title', async () => {
    const summary = await summarize(testDb(), world.t);
    const expected = expectedRankings(world.rows, world.titles);
    expect({
      best_campaigns: summary.best_campaigns,
      worst_campaigns: summary.worst_campaigns,
      best_by_reply_rate: summary.best_by_reply_rate,
      worst_by_reply_rate: summary.worst_by_reply_rate,
    }).toEqual(expected);
    // In plain words: the doubled twin leads its equal-ROI original; of the two identical ones,
    // "Echo" sorts before "echo", so "echo" is the very worst; the small sender is not ranked.
    const titles = (list: { title: string }[]) => list.map((c) => c.title);
    expect(titles(summary.best_campaigns).slice(0, 2)).toEqual(['Delta twin', 'Delta']);
    expect(titles(summary.worst_campaigns).slice(0, 2)).toEqual(['echo', 'Echo']);
    expect(summary.best_by_reply_rate).toHaveLength(3);
    expect(summary.worst_by_reply_rate).toHaveLength(1);
    expect([...titles(summary.best_by_reply_rate), ...titles(summary.worst_by_reply_rate)]).not.toContain(
      'Outbound small',
    );
  });

  it('counts the week’s actions, rollbacks, pending suggestions and measured impacts', async () => {
    const summary = await summarize(testDb(), world.t);
    const [real] = await testDb().session((s) =>
      s.query<{ actual_impact: { change: { revenue: number; spend: number; roi: number | null } } }>(
        'SELECT actual_impact FROM autonomous_actions WHERE tenant_id = $1 AND id = $2',
        [world.t.tenantId, measuredIds.real],
      ),
    );
    const change = real!.actual_impact.change;
    expect(summary.actions).toEqual({
      executed: 5,
      executed_by_type: { auto_pause: 2, auto_scale_up: 2, notify: 1 },
      rolled_back: 2,
      suggestions_pending: 2,
      measured_count: 2,
      // The larger move of revenue first.
      measured: [
        {
          action_id: measuredIds.large,
          action_type: 'auto_pause',
          campaign_id: world.byTitle('Bravo'),
          title: 'Bravo',
          executed_at: '2026-11-05T08:00:00.000Z',
          revenue_change: -5_000.5,
          spend_change: -1_200,
          roi_change: null,
        },
        {
          action_id: measuredIds.real,
          action_type: 'auto_scale_up',
          campaign_id: world.byTitle('Alpha'),
          title: 'Alpha',
          executed_at: '2026-11-02T10:00:00.000Z',
          revenue_change: change.revenue,
          spend_change: change.spend,
          roi_change: change.roi,
        },
      ],
    });
  });

  it('lists the live opportunities by severity, the most pressing five first', async () => {
    const summary = await summarize(testDb(), world.t);
    const rank = ['critical', 'high', 'medium', 'low'];
    const live = opportunities.filter((o) => o.status === 'open' || o.status === 'in_progress');
    const top = [...live]
      .sort(
        (a, b) => rank.indexOf(a.severity) - rank.indexOf(b.severity) || (b.confidence ?? -1) - (a.confidence ?? -1),
      )
      .slice(0, 5);
    const count = (severity: string) => live.filter((o) => o.severity === severity).length;
    expect(summary.opportunities).toEqual({
      open: live.length,
      by_severity: { critical: count('critical'), high: count('high'), medium: count('medium'), low: count('low') },
      top: top.map((o) => ({
        opportunity_id: o.id,
        campaign_id: o.campaign,
        title: world.titles.get(o.campaign),
        opportunity_type: o.type,
        severity: o.severity,
        description: `${o.type} on it`,
      })),
    });
    expect(summary.opportunities.top.map((o) => o.severity)).toEqual(['critical', 'high', 'high', 'medium', 'medium']);
  });

  it('never shows another tenant’s rows, even without row-level security', async () => {
    // Unscoped (as the owner role): only the statements' own tenant filters keep the tenants apart.
    const unscoped = await testDb().session((s) => computeWeeklySummary(s, world.t.tenantId, WEEK));
    const scoped = await summarize(testDb(), world.t);
    const { generated_at: _a, ...a } = unscoped;
    const { generated_at: _b, ...b } = scoped;
    expect(a).toEqual(b);
    const text = JSON.stringify(unscoped);
    for (const id of other.titles.keys()) expect(text).not.toContain(id);
    expect(text).not.toContain('Other tenant');
    // And theirs holds only their own.
    const theirs = await testDb().session((s) => computeWeeklySummary(s, other.t.tenantId, WEEK));
    expect(theirs.totals).toEqual(expectedTotals(other.rows));
    expect(theirs.actions).toMatchObject({ executed: 1, suggestions_pending: 1, measured_count: 1 });
    expect(theirs.opportunities.open).toBe(1);
    for (const id of world.titles.keys()) expect(JSON.stringify(theirs)).not.toContain(id);
  });

  it('gives 3 best and 1 worst to a tenant with 4 spending campaigns, and zeros to an empty week', async () => {
    const small = await buildWorld(testDb(), CAMPAIGNS.slice(0, 4));
    const summary = await summarize(testDb(), small.t);
    expect(summary.best_campaigns).toHaveLength(3);
    expect(summary.worst_campaigns).toHaveLength(1);
    const ids = [...summary.best_campaigns, ...summary.worst_campaigns].map((c) => c.campaign_id);
    expect(new Set(ids).size).toBe(4);
    expect(summary).toMatchObject(expectedRankings(small.rows, small.titles));

    // Long before any stats: nothing to compare, nothing to rank.
    const empty = await summarize(testDb(), small.t, '2025-01-06');
    const nothing = { this_week: 0, previous_week: 0, change: 0, change_pct: null };
    expect(empty.totals).toEqual({
      ...Object.fromEntries(TOTAL_METRICS.map((metric) => [metric, nothing])),
      roi: { this_week: null, previous_week: null, change: null, change_pct: null },
    });
    expect(empty).toMatchObject({
      best_campaigns: [],
      worst_campaigns: [],
      best_by_reply_rate: [],
      worst_by_reply_rate: [],
    });
    expect(empty.actions).toEqual({
      executed: 0,
      executed_by_type: {},
      rolled_back: 0,
      suggestions_pending: 0,
      measured_count: 0,
      measured: [],
    });
  });

  it('refuses a week that does not start on a Monday', async () => {
    for (const day of ['2026-11-10', '2026-13-02', 'monday']) {
      await expect(summarize(testDb(), world.t, day), day).rejects.toThrow(/Monday/);
    }
  });

  it('stores a week once: the second run changes nothing', async () => {
    const db = testDb();
    const summary: WeeklySummary = await summarize(db, world.t);
    const scoped = tenantScoped(db, world.t.tenantId);
    expect(await scoped.transaction((s) => storeWeeklySummary(s, world.t.tenantId, summary, '# first', null))).toBe(
      true,
    );
    const again = { ...summary, generated_at: new Date().toISOString() };
    expect(await scoped.transaction((s) => storeWeeklySummary(s, world.t.tenantId, again, '# second', null))).toBe(
      false,
    );
    const rows = await db.session((s) =>
      s.query<{ report_markdown: string; summary: WeeklySummary; week_end: string }>(
        'SELECT report_markdown, summary, week_end FROM weekly_summaries WHERE tenant_id = $1',
        [world.t.tenantId],
      ),
    );
    expect(rows).toEqual([{ report_markdown: '# first', summary, week_end: '2026-11-15' }]);
    // Another tenant's same week is its own.
    const theirs = await db.session((s) => computeWeeklySummary(s, other.t.tenantId, WEEK));
    expect(await db.session((s) => storeWeeklySummary(s, other.t.tenantId, theirs, '# theirs', null))).toBe(true);
  });
});
