// The backtest replays the rules day by day and tells the money: per rule and in total, what the
// pauses and scales would have saved, forgone, added and gained, and which hit campaigns that the
// later stats proved good (pauses) or bad (scales). Hand-made stats, so every figure is known.
import { describe, expect, it } from 'vitest';
import { backtest } from '../src/engine/backtest.ts';
import {
  actionsOf,
  addStats,
  campaignState,
  createCampaign,
  createTenant,
  lateBloomerDays,
  NOW,
  steadyDays,
} from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

describe('backtest', () => {
  const testDb = useTestDb();

  it('replays the rules day by day and reports, per rule and in total, what they would have done', async () => {
    const t = await createTenant(testDb());
    // Ten days of stats ending today (2026-11-11 .. 2026-11-20), both started ten days ago.
    const loser = await createCampaign(testDb(), t, { title: 'Loser', budget: 200, hoursRunning: 240 });
    await addStats(testDb(), t, loser, steadyDays(10, { spend: 40, revenue: 12 }));
    const winner = await createCampaign(testDb(), t, {
      title: 'Winner',
      budget: 100,
      maxBudget: 200,
      hoursRunning: 240,
    });
    await addStats(testDb(), t, winner, steadyDays(10, { spend: 50, revenue: 200, conversions: 5 }));

    const result = await backtest(testDb(), t.tenantId, { days: 10, now: NOW });
    expect(result).toMatchObject({ from: '2026-11-11', to: '2026-11-20', horizon_days: 14 });
    // The winner has 5 conversions on day 1 (< 10): it is doubled on day 2 (2026-11-12), and the
    // eight days that follow are recorded on its own budget of 100: +100% of $400 and $1,600. The
    // loser's pause is only suggested (below the 90% confidence to pause alone) until 2026-11-16,
    // and a suggestion is not replayed: four days of $40 / $12 follow.
    const scale = {
      rule_name: 'Exceptional ROI Aggressive Scale',
      campaigns_paused: 0,
      campaigns_scaled: 1,
      spend_saved: 0,
      revenue_forgone: 0,
      spend_added: 400,
      revenue_gained: 1600,
      net: 1200,
      net_negative: false,
      paused_proved_good: 0,
      scaled_proved_bad: 0,
      undetermined: 0,
    };
    const pause = {
      rule_name: 'Critical ROI Pause',
      campaigns_paused: 1,
      campaigns_scaled: 0,
      spend_saved: 160,
      revenue_forgone: 48,
      spend_added: 0,
      revenue_gained: 0,
      net: 112,
      net_negative: false,
      paused_proved_good: 0,
      scaled_proved_bad: 0,
      undetermined: 0,
    };
    expect(result.rules).toEqual([scale, pause]);
    expect(result.total).toEqual({
      campaigns_paused: 1,
      campaigns_scaled: 1,
      spend_saved: 160,
      revenue_forgone: 48,
      spend_added: 400,
      revenue_gained: 1600,
      net: 1312,
      net_negative: false,
      paused_proved_good: 0,
      scaled_proved_bad: 0,
      undetermined: 0,
    });
    // A replay, not a cycle: nothing changed.
    expect(await actionsOf(testDb(), t)).toEqual([]);
    expect(await campaignState(testDb(), t, winner)).toMatchObject({ status: 'active', budget: '100.00' });
  });

  async function lateBloomer() {
    // Pauses act at any confidence, so the pause comes on the first evening the rule matches.
    const t = await createTenant(testDb(), { guardrails: { min_pause_confidence: 0 } });
    const campaign = await createCampaign(testDb(), t, { title: 'Late bloomer', budget: 50, hoursRunning: 240 });
    await addStats(testDb(), t, campaign, lateBloomerDays());
    return t;
  }

  it('counts a pause of a campaign that later earned ROI 2 as proved good, and flags the negative net', async () => {
    const t = await lateBloomer();
    const result = await backtest(testDb(), t.tenantId, { days: 10, now: NOW });
    // Paused the evening of 2026-11-11: nine days of $50 spend and $100 revenue forgone.
    const figures = {
      campaigns_paused: 1,
      campaigns_scaled: 0,
      spend_saved: 450,
      revenue_forgone: 900,
      spend_added: 0,
      revenue_gained: 0,
      net: -450,
      net_negative: true,
      paused_proved_good: 1,
      scaled_proved_bad: 0,
      undetermined: 0,
    };
    expect(result.rules).toEqual([{ rule_name: 'Critical ROI Pause', ...figures }]);
    expect(result.total).toEqual(figures);
  });

  it('judges within the horizon, and leaves a verdict undetermined on fewer than 3 days', async () => {
    const t = await lateBloomer();
    const three = await backtest(testDb(), t.tenantId, { days: 10, now: NOW, horizonDays: 3 });
    expect(three.horizon_days).toBe(3);
    expect(three.total).toMatchObject({ spend_saved: 150, revenue_forgone: 300, net: -150, paused_proved_good: 1 });
    const two = await backtest(testDb(), t.tenantId, { days: 10, now: NOW, horizonDays: 2 });
    expect(two.total).toMatchObject({
      spend_saved: 100,
      revenue_forgone: 200,
      net: -100,
      net_negative: true,
      paused_proved_good: 0,
      undetermined: 1,
    });
  });

  it('replays one rule alone when asked (the rules preview)', async () => {
    const t = await lateBloomer();
    const ruleId = async (name: string) => {
      const [rule] = await testDb().session((s) =>
        s.query<{ id: string }>('SELECT id FROM autonomous_rules WHERE tenant_id = $1 AND rule_name = $2', [
          t.tenantId,
          name,
        ]),
      );
      return rule!.id;
    };
    const critical = await backtest(testDb(), t.tenantId, {
      days: 10,
      now: NOW,
      ruleId: await ruleId('Critical ROI Pause'),
    });
    expect(critical.rules.map((r) => r.rule_name)).toEqual(['Critical ROI Pause']);
    expect(critical.total).toMatchObject({ campaigns_paused: 1, net: -450 });
    // High ROI Scale alone never acts (lifetime ROI stays below 3: $906 / $510 on the last day).
    const scale = await backtest(testDb(), t.tenantId, { days: 10, now: NOW, ruleId: await ruleId('High ROI Scale') });
    expect(scale.rules).toEqual([]);
    expect(scale.total).toMatchObject({ campaigns_paused: 0, campaigns_scaled: 0, net: 0, net_negative: false });
  });
});
