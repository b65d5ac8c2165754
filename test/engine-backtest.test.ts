import { describe, expect, it } from 'vitest';
import { backtest } from '../src/engine/backtest.ts';
import {
  actionsOf,
  addStats,
  campaignState,
  createCampaign,
  createTenant,
  NOW,
  steadyDays,
} from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

describe('backtest', () => {
  const testDb = useTestDb();

  it('replays the rules day by day and reports, per rule, what they would have done', async () => {
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
    expect(result).toMatchObject({ from: '2026-11-11', to: '2026-11-20' });
    // Day 1 the loser has spent $40 (< $50 gate) and the winner has 5 conversions (< 10):
    // both rules fire on day 2 (2026-11-12); eight days of stats follow.
    expect(result.rules).toEqual(
      expect.arrayContaining([
        {
          rule_name: 'Critical ROI Pause',
          campaigns_paused: 1,
          campaigns_scaled: 0,
          spend_saved: 320,
          revenue_forgone: 96,
          spend_added: 0,
          revenue_gained: 0,
        },
        {
          rule_name: 'Exceptional ROI Aggressive Scale',
          campaigns_paused: 0,
          campaigns_scaled: 1,
          spend_saved: 0,
          revenue_forgone: 0,
          spend_added: 400,
          revenue_gained: 1600,
        },
      ]),
    );
    expect(result.rules).toHaveLength(2);
    // A replay, not a cycle: nothing changed.
    expect(await actionsOf(testDb(), t)).toEqual([]);
    expect(await campaignState(testDb(), t, winner)).toMatchObject({ status: 'active', budget: '100.00' });
  });
});
