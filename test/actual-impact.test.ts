import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { upsertStats } from '../src/db/repositories/stats.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import type { StatRow } from '../src/domain/metrics.ts';
import { DEFAULT_IMPACT_AFTER_DAYS, measureActualImpact } from '../src/ledger/actual-impact.ts';
import { createCampaign, createTenant, NOW, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The UTC day `daysAgo` days before NOW (2026-11-20). */
const day = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10);

type Figures = Partial<Pick<StatRow, 'spend' | 'revenue' | 'impressions' | 'clicks' | 'conversions'>>;

describe('actual impact of executed actions', () => {
  const testDb = useTestDb();

  /** Ingests stats the way the stats API does: upsertStats under the tenant's row-level security. */
  async function ingest(
    db: Database,
    t: TestTenant,
    campaignId: string,
    days: (Figures & { daysAgo: number; channel?: string })[],
  ) {
    const rows: StatRow[] = days.map(({ daysAgo, channel, ...figures }) => ({
      campaign_id: campaignId,
      stat_date: day(daysAgo),
      channel: channel ?? 'google_ads',
      impressions: 0,
      sends: 0,
      opens: 0,
      clicks: 0,
      replies: 0,
      meetings: 0,
      conversions: 0,
      spend: 0,
      revenue: 0,
      ...figures,
    }));
    await tenantScoped(db, t.tenantId).transaction((s) => upsertStats(s, t.tenantId, rows));
  }

  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  async function addAction(
    t: TestTenant,
    campaignId: string,
    spec: { status?: string; executedHoursAgo?: number | null; actionType?: string } = {},
  ): Promise<string> {
    const executedAt =
      spec.executedHoursAgo == null ? null : new Date(NOW.getTime() - spec.executedHoursAgo * HOUR_MS).toISOString();
    const [row] = await testDb().session((s) =>
      s.query<{ id: string }>(
        `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status, executed_at, created_at)
         VALUES ($1, $2, $3, 'test', $4, $5, coalesce($5::timestamptz, $6::timestamptz)) RETURNING id`,
        [
          t.tenantId,
          campaignId,
          spec.actionType ?? 'auto_scale_up',
          spec.status ?? 'executed',
          executedAt,
          NOW.toISOString(),
        ],
      ),
    );
    return row!.id;
  }

  async function impactOf(t: TestTenant, actionId: string) {
    const [row] = await testDb().session((s) =>
      s.query<{ actual_impact: object | null }>(
        'SELECT actual_impact FROM autonomous_actions WHERE tenant_id = $1 AND id = $2',
        [t.tenantId, actionId],
      ),
    );
    return row!.actual_impact;
  }

  async function newCampaign(t: TestTenant) {
    return createCampaign(testDb(), t, { budget: 100, hoursRunning: 24 * 30 });
  }

  it('compares the 7 days before the day of the action with the 7 days from it, exactly', async () => {
    const t = await createTenant(testDb());
    const campaign = await newCampaign(t);
    // Executed 2026-11-12 12:00 UTC: before = 11-05 … 11-11, after = 11-12 … 11-18.
    const actionId = await addAction(t, campaign, { executedHoursAgo: 8 * 24 });
    await ingest(testDb(), t, campaign, [
      ...range(9, 15).map((daysAgo) => ({
        daysAgo,
        spend: 50,
        revenue: 100,
        impressions: 10_000,
        clicks: 200,
        conversions: 4,
      })),
      // Two channels a day after: the windows sum over channels.
      ...range(2, 8).flatMap((daysAgo) => [
        { daysAgo, spend: 60, revenue: 90, impressions: 8_000, clicks: 100, conversions: 3 },
        { daysAgo, channel: 'meta', spend: 40, revenue: 30, impressions: 4_000, clicks: 50, conversions: 1 },
      ]),
      // Outside both windows: the day before the first and the days after the last.
      ...[16, 1, 0].map((daysAgo) => ({ daysAgo, spend: 9_999, revenue: 1, impressions: 1, clicks: 1 })),
    ]);

    const result = await measureActualImpact(testDb(), { tenantId: t.tenantId, now: NOW });

    const expected = {
      measured_at: NOW.toISOString(),
      window_days: 7,
      before: {
        from: '2026-11-05',
        to: '2026-11-11',
        spend: 350,
        revenue: 700,
        impressions: 70_000,
        clicks: 1_400,
        conversions: 28,
        roi: 2,
        ctr: 0.02,
      },
      after: {
        from: '2026-11-12',
        to: '2026-11-18',
        spend: 700,
        revenue: 840,
        impressions: 84_000,
        clicks: 1_050,
        conversions: 28,
        roi: 1.2,
        ctr: 0.0125,
      },
      change: { spend: 350, revenue: 140, impressions: 14_000, clicks: -350, conversions: 0, roi: -0.8, ctr: -0.0075 },
      relative_change: {
        spend: 1,
        revenue: 0.2,
        impressions: 0.2,
        clicks: -0.25,
        conversions: 0,
        roi: -0.4,
        ctr: -0.375,
      },
    };
    expect(result).toEqual({
      measured: 1,
      actions: [{ action_id: actionId, campaign_id: campaign, action_type: 'auto_scale_up', actual_impact: expected }],
    });
    expect(await impactOf(t, actionId)).toEqual(expected);
    expect(DEFAULT_IMPACT_AFTER_DAYS).toBe(7);
  });

  it('measures only executed actions whose window has ended, and only once', async () => {
    const t = await createTenant(testDb());
    const campaign = await newCampaign(t);
    await ingest(
      testDb(),
      t,
      campaign,
      range(0, 20).map((daysAgo) => ({ daysAgo, spend: 10, revenue: 20, impressions: 100, clicks: 5 })),
    );
    const due = await addAction(t, campaign, { executedHoursAgo: 8 * 24 });
    // Exactly 7 × 24 h ago is due; a minute later is not.
    const justDue = await addAction(t, campaign, { executedHoursAgo: 7 * 24 });
    const notYet = await addAction(t, campaign, { executedHoursAgo: 7 * 24 - 1 / 60 });
    const recent = await addAction(t, campaign, { executedHoursAgo: 3 * 24 });
    const others = [
      await addAction(t, campaign, { status: 'pending' }),
      await addAction(t, campaign, { status: 'dismissed' }),
      await addAction(t, campaign, { status: 'failed' }),
      await addAction(t, campaign, { status: 'rolled_back', executedHoursAgo: 10 * 24 }),
    ];
    // The rollback's own ledger row is an executed action: it is measured.
    const rollback = await addAction(t, campaign, { actionType: 'rollback', executedHoursAgo: 9 * 24 });

    const first = await measureActualImpact(testDb(), { tenantId: t.tenantId, now: NOW });
    expect(first.measured).toBe(3);
    expect(first.actions.map((a) => a.action_id)).toEqual([rollback, due, justDue]);
    for (const id of [notYet, recent, ...others]) expect(await impactOf(t, id)).toBeNull();
    const stored = await impactOf(t, due);

    const second = await measureActualImpact(testDb(), { tenantId: t.tenantId, now: NOW });
    expect(second).toEqual({ measured: 0, actions: [] });
    // A later run measures what has come due since and leaves the measured ones as they were.
    const later = await measureActualImpact(testDb(), { tenantId: t.tenantId, now: new Date(NOW.getTime() + DAY_MS) });
    expect(later.actions.map((a) => a.action_id)).toEqual([notYet]);
    expect(await impactOf(t, due)).toEqual(stored);
    expect(await impactOf(t, recent)).toBeNull();
  });

  it('honours afterDays, rounds ROI to 4 decimals, and gives no ROI or CTR without spend or impressions', async () => {
    const t = await createTenant(testDb());
    const campaign = await newCampaign(t);
    // Executed 2026-11-16 12:00 UTC: with 3-day windows, before = 11-13 … 11-15, after = 11-16 … 11-18.
    const actionId = await addAction(t, campaign, { actionType: 'auto_pause', executedHoursAgo: 4 * 24 });
    await ingest(testDb(), t, campaign, [
      ...range(5, 7).map((daysAgo) => ({ daysAgo, spend: 30, revenue: 10, impressions: 3_000, clicks: 7 })),
      ...range(2, 4).map((daysAgo) => ({ daysAgo, revenue: 5 })),
    ]);

    expect(await measureActualImpact(testDb(), { tenantId: t.tenantId, now: NOW })).toEqual({
      measured: 0,
      actions: [],
    });
    const result = await measureActualImpact(testDb(), { tenantId: t.tenantId, now: NOW, afterDays: 3 });
    expect(result.measured).toBe(1);
    expect(await impactOf(t, actionId)).toEqual({
      measured_at: NOW.toISOString(),
      window_days: 3,
      before: {
        from: '2026-11-13',
        to: '2026-11-15',
        spend: 90,
        revenue: 30,
        impressions: 9_000,
        clicks: 21,
        conversions: 0,
        roi: 0.3333,
        ctr: 0.002333,
      },
      after: {
        from: '2026-11-16',
        to: '2026-11-18',
        spend: 0,
        revenue: 15,
        impressions: 0,
        clicks: 0,
        conversions: 0,
        roi: null,
        ctr: null,
      },
      change: { spend: -90, revenue: -15, impressions: -9_000, clicks: -21, conversions: 0, roi: null, ctr: null },
      relative_change: {
        spend: -1,
        revenue: -0.5,
        impressions: -1,
        clicks: -1,
        conversions: null,
        roi: null,
        ctr: null,
      },
    });
  });

  it('measures a campaign without any stats as zeros', async () => {
    const t = await createTenant(testDb());
    const actionId = await addAction(t, await newCampaign(t), { actionType: 'notify', executedHoursAgo: 30 * 24 });
    await measureActualImpact(testDb(), { tenantId: t.tenantId, now: NOW });
    expect(await impactOf(t, actionId)).toMatchObject({
      before: { from: '2026-10-14', to: '2026-10-20', spend: 0, roi: null, ctr: null },
      after: { from: '2026-10-21', to: '2026-10-27', spend: 0, roi: null, ctr: null },
      change: { spend: 0, roi: null },
      relative_change: { spend: null, roi: null },
    });
  });

  it("leaves another tenant's actions alone", async () => {
    const a = await createTenant(testDb());
    const b = await createTenant(testDb());
    const ofA = await addAction(a, await newCampaign(a), { executedHoursAgo: 8 * 24 });
    const ofB = await addAction(b, await newCampaign(b), { executedHoursAgo: 8 * 24 });

    const result = await measureActualImpact(testDb(), { tenantId: a.tenantId, now: NOW });
    expect(result.actions.map((x) => x.action_id)).toEqual([ofA]);
    expect(await impactOf(b, ofB)).toBeNull();
    expect((await measureActualImpact(testDb(), { tenantId: b.tenantId, now: NOW })).measured).toBe(1);
  });

  it('two runs at once measure each action once', async () => {
    const t = await createTenant(testDb());
    const campaign = await newCampaign(t);
    const ids = await Promise.all(range(8, 12).map((d) => addAction(t, campaign, { executedHoursAgo: d * 24 })));
    const runs = await Promise.all([
      measureActualImpact(testDb(), { tenantId: t.tenantId, now: NOW }),
      measureActualImpact(testDb(), { tenantId: t.tenantId, now: NOW }),
    ]);
    const measured = runs.flatMap((r) => r.actions.map((a) => a.action_id));
    expect(measured.sort()).toEqual([...ids].sort());
  });

  it('refuses a window that is not a whole number of days from 1 to 90', async () => {
    const t = await createTenant(testDb());
    for (const afterDays of [0, -1, 1.5, 91]) {
      await expect(measureActualImpact(testDb(), { tenantId: t.tenantId, afterDays })).rejects.toThrow(RangeError);
    }
  });
});
