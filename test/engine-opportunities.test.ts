import { describe, expect, it } from 'vitest';
import { runCycle } from '../src/engine/cycle.ts';
import { OpportunityStatusError, setOpportunityStatus } from '../src/engine/opportunity-status.ts';
import { addStats, createCampaign, createTenant, type DayStats, NOW, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('optimization opportunities', () => {
  const testDb = useTestDb();
  const cycle = (t: TestTenant) => runCycle(testDb(), t.tenantId, { now: NOW });
  const opportunities = (t: TestTenant) =>
    testDb().session((s) =>
      s.query<{
        id: string;
        title: string;
        opportunity_type: string;
        status: string;
        severity: string;
        confidence_score: string;
        description: string;
      }>(
        `SELECT o.id, c.title, o.opportunity_type, o.status, o.severity, o.confidence_score, o.description
           FROM optimization_opportunities o JOIN campaigns c ON c.tenant_id = o.tenant_id AND c.id = o.campaign_id
          WHERE o.tenant_id = $1 ORDER BY c.title, o.opportunity_type, o.detected_at`,
        [t.tenantId],
      ),
    );
  // Autopilot off everywhere: the rules only suggest, so every campaign stays active for detection.
  const campaign = async (t: TestTenant, title: string, days: DayStats[]) => {
    const id = await createCampaign(testDb(), t, { title, budget: 500, hoursRunning: 24 * 30, autopilot: false });
    await addStats(testDb(), t, id, days);
    return id;
  };
  const healthy = { spend: 40, revenue: 200, conversions: 5, clicks: 300, impressions: 10_000 };

  async function world() {
    const t = await createTenant(testDb());
    const ids = {
      low: await campaign(t, 'Low conversion', [{ ...healthy, daysAgo: 0, clicks: 400, conversions: 1 }]),
      traffic: await campaign(t, 'High traffic', [{ ...healthy, daysAgo: 0, clicks: 234, conversions: 4 }]),
      declining: await campaign(t, 'Declining', [
        ...range(7, 13).map((daysAgo) => ({ ...healthy, daysAgo, spend: 20, revenue: 80, conversions: 1 })),
        ...range(0, 6).map((daysAgo) => ({
          ...healthy,
          daysAgo,
          spend: 20,
          revenue: 24,
          conversions: daysAgo % 3 === 0 ? 1 : 0,
        })),
      ]),
      fatigue: await campaign(t, 'Fatigued', [
        ...range(7, 13).map((daysAgo) => ({ ...healthy, daysAgo, spend: 10, impressions: 1000, clicks: 40 })),
        ...range(0, 6).map((daysAgo) => ({ ...healthy, daysAgo, spend: 10, impressions: 1000, clicks: 16 })),
      ]),
      inefficient: await campaign(t, 'Inefficient', [
        { ...healthy, daysAgo: 0, spend: 600, revenue: 300, conversions: 6 },
      ]),
      mismatch: await campaign(t, 'Mismatch', [
        { ...healthy, daysAgo: 0, impressions: 12_000, clicks: 20, conversions: 1 },
      ]),
      timing: await campaign(
        t,
        'Timing',
        range(0, 27).map((daysAgo) => {
          const monday = new Date(NOW.getTime() - daysAgo * 86_400_000).getUTCDay() === 1;
          return { ...healthy, daysAgo, spend: 10, revenue: monday ? 60 : 15, conversions: monday ? 4 : 1, clicks: 50 };
        }),
      ),
    };
    return { t, ids };
  }

  it('detects every seed type with severity, description, suggestion and a probability', async () => {
    const { t } = await world();
    const result = await cycle(t);
    const rows = await opportunities(t);
    const types = (title: string) => rows.filter((r) => r.title === title).map((r) => r.opportunity_type);
    expect(types('Low conversion')).toContain('low_conversion');
    expect(types('High traffic')).toEqual(['high_traffic_low_conversion']);
    expect(types('Declining')).toContain('declining_performance');
    expect(types('Fatigued')).toContain('creative_fatigue');
    expect(types('Inefficient')).toContain('budget_inefficiency');
    expect(types('Mismatch')).toContain('audience_mismatch');
    expect(types('Timing')).toEqual(['timing_optimization']);
    expect(result.actions_taken.opportunities_detected).toBe(rows.length);
    for (const row of rows) {
      expect(Number(row.confidence_score)).toBeGreaterThan(0.5);
      expect(Number(row.confidence_score)).toBeLessThanOrEqual(1);
      expect(['critical', 'high', 'medium', 'low']).toContain(row.severity);
    }
    expect(rows.find((r) => r.opportunity_type === 'high_traffic_low_conversion')!.description).toBe(
      'Campaign "High traffic" has 234 clicks but only 1.7% conversion rate.',
    );
  });

  it('keeps one live row per campaign and type across cycles, resolves what clears, respects a dismissal', async () => {
    const { t, ids } = await world();
    await cycle(t);
    const first = await opportunities(t);
    const second = await cycle(t);
    expect(second.actions_taken.opportunities_detected).toBe(0);
    expect(await opportunities(t)).toHaveLength(first.length);

    // The inefficient campaign turns profitable; the mismatch is dismissed by a person.
    await addStats(testDb(), t, ids.inefficient, [{ daysAgo: 1, spend: 0, revenue: 1000, conversions: 10 }]);
    const mismatch = first.find((r) => r.opportunity_type === 'audience_mismatch')!;
    await setOpportunityStatus(testDb(), t.tenantId, mismatch.id, 'dismissed');
    const preview = await runCycle(testDb(), t.tenantId, { now: NOW, dryRun: true });
    const third = await cycle(t);
    expect(third.opportunities_resolved).toBeGreaterThanOrEqual(1);
    // The preview predicted exactly what the cycle then opened and resolved.
    expect(preview.opportunities_resolved).toBe(third.opportunities_resolved);
    expect(preview.actions_taken.opportunities_detected).toBe(third.actions_taken.opportunities_detected);
    const now = await opportunities(t);
    expect(now.find((r) => r.opportunity_type === 'budget_inefficiency')!.status).toBe('resolved');
    expect(now.filter((r) => r.opportunity_type === 'audience_mismatch').map((r) => r.status)).toEqual(['dismissed']);
  });

  it('moves through start, resolve and dismiss only along allowed paths', async () => {
    const { t } = await world();
    await cycle(t);
    const [row] = await opportunities(t);
    expect(await setOpportunityStatus(testDb(), t.tenantId, row!.id, 'in_progress')).toMatchObject({
      unchanged: false,
    });
    expect(await setOpportunityStatus(testDb(), t.tenantId, row!.id, 'resolved')).toMatchObject({ status: 'resolved' });
    await expect(setOpportunityStatus(testDb(), t.tenantId, row!.id, 'in_progress')).rejects.toBeInstanceOf(
      OpportunityStatusError,
    );
  });
});
