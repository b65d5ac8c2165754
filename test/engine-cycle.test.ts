import { describe, expect, it } from 'vitest';
import { runCycle } from '../src/engine/cycle.ts';
import {
  actionsOf,
  addStats,
  campaignState,
  createCampaign,
  createTenant,
  NOW,
  pauseScaleSuggestWorld,
  steadyDays,
} from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

describe("the autonomous cycle, on the seeds' scenarios", () => {
  const testDb = useTestDb();
  const cycle = (tenantId: string) => runCycle(testDb(), tenantId, { now: NOW });

  it('pauses an underperformer (ROI 0.8 sustained over 48 h on 300 orders, $200 budget) and says why', async () => {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { title: 'Loser', budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, id, steadyDays(3, { spend: 4_000, revenue: 3_200, conversions: 100 }));

    const result = await cycle(t.tenantId);
    expect(result.actions_taken).toEqual({
      campaigns_paused: 1,
      campaigns_scaled: 0,
      campaigns_posted: 0,
      opportunities_detected: 0,
    });
    expect(await campaignState(testDb(), t, id)).toMatchObject({ status: 'paused', budget: '200.00', version: 2 });
    const [action] = await actionsOf(testDb(), t);
    expect(action).toMatchObject({
      action_type: 'auto_pause',
      status: 'executed',
      previous_state: { status: 'active', budget: 200 },
      new_state: { status: 'paused', budget: 200 },
    });
    expect(action!.reason).toMatch(/ROI 0\.80x after \$12,000\.00 spent matched "Low ROI Pause"/);
    expect(Number(action!.confidence_score)).toBeGreaterThan(0.9);
    // $4,000 a day for a week at ROI 0.8: about $5,600 saved net of the revenue forgone.
    expect(result.decisions[0]!.expected_value).toMatchObject({
      spend_at_stake: 28_000,
      net: expect.closeTo(5_600, -3),
    });
  });

  it('leaves the same ROI on 3 orders alone: the expected saving does not beat the revenue it risks', async () => {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { title: 'Unclear', budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, id, steadyDays(3, { spend: 40, revenue: 32, conversions: 1 }));

    const result = await cycle(t.tenantId);
    expect(result.decisions).toEqual([]);
    expect(result.guardrail_stops).toMatchObject([
      {
        campaign_id: id,
        rule: 'Low ROI Pause',
        guardrail: 'expected_value',
        detail: expect.stringMatching(/^Pausing is expected to gain \$[\d.,]+ and lose \$[\d.,]+ over 7 days/),
      },
    ]);
    expect((await campaignState(testDb(), t, id)).status).toBe('active');
  });

  it('only suggests a pause it is not sure of (ROI 0.25 on one $30 order), and says how sure it is', async () => {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { title: 'Unclear', budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, id, [
      { daysAgo: 1, spend: 40, revenue: 30, conversions: 1 },
      { daysAgo: 2, spend: 40, revenue: 0, conversions: 0 },
      { daysAgo: 3, spend: 40, revenue: 0, conversions: 0 },
    ]);

    const result = await cycle(t.tenantId);
    expect(result.actions_taken.campaigns_paused).toBe(0);
    expect(result.suggestions_created).toBe(1);
    expect(result.decisions).toMatchObject([{ campaign_id: id, action_type: 'auto_pause', mode: 'suggest' }]);
    expect(result.decisions[0]!.confidence).toBeLessThan(0.9);
    expect(result.decisions[0]!.reason).toMatch(/Only suggested: \d+% likely to be losing money, below the 90% needed/);
    expect((await campaignState(testDb(), t, id)).status).toBe('active');
  });

  it('does not pause the same campaign after only 24 h (Low ROI Pause needs 48 h)', async () => {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 24 });
    await addStats(testDb(), t, id, steadyDays(2, { spend: 40, revenue: 32, conversions: 1 }));
    const result = await cycle(t.tenantId);
    expect(result.actions_taken.campaigns_paused).toBe(0);
    expect((await campaignState(testDb(), t, id)).status).toBe('active');
  });

  it('scales a high performer (15 conversions, ROI 3.5, $100) to $150', async () => {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { budget: 100, hoursRunning: 96 });
    await addStats(testDb(), t, id, [
      { daysAgo: 0, spend: 50, revenue: 175, conversions: 8 },
      { daysAgo: 1, spend: 50, revenue: 175, conversions: 7 },
    ]);
    const result = await cycle(t.tenantId);
    expect(result.actions_taken.campaigns_scaled).toBe(1);
    expect((await campaignState(testDb(), t, id)).budget).toBe('150.00');
    const [action] = await actionsOf(testDb(), t);
    expect(action).toMatchObject({ action_type: 'auto_scale_up', new_state: { budget: 150 } });
    expect(Number(action!.confidence_score)).toBeGreaterThanOrEqual(0.75);
  });

  it('doubles ROI 4.2 but never above max_budget', async () => {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { budget: 100, maxBudget: 180, hoursRunning: 96 });
    await addStats(testDb(), t, id, steadyDays(2, { spend: 50, revenue: 210, conversions: 8 }));
    await cycle(t.tenantId);
    expect((await campaignState(testDb(), t, id)).budget).toBe('180.00');
    const [action] = await actionsOf(testDb(), t);
    expect(action!.reason).toMatch(/"Exceptional ROI Aggressive Scale".*capped at the maximum budget/);
  });

  it('with autopilot off, stores a pending suggestion and changes nothing', async () => {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72, autopilot: false });
    await addStats(testDb(), t, id, steadyDays(3, { spend: 40, revenue: 10 }));
    const result = await cycle(t.tenantId);
    expect(result.actions_taken.campaigns_paused).toBe(0);
    expect(result.suggestions_created).toBe(1);
    expect(await campaignState(testDb(), t, id)).toMatchObject({ status: 'active', version: 1 });
    expect((await actionsOf(testDb(), t)).map((a) => [a.action_type, a.status])).toEqual([['auto_pause', 'pending']]);
  });

  it('with the tenant switch off, suggests instead of acting', async () => {
    const t = await createTenant(testDb());
    await testDb().session((s) => s.query('UPDATE tenants SET autonomous_enabled = false WHERE id = $1', [t.tenantId]));
    const id = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, id, steadyDays(3, { spend: 40, revenue: 10 }));
    const result = await cycle(t.tenantId);
    expect(result.suggestions_created).toBe(1);
    expect((await campaignState(testDb(), t, id)).status).toBe('active');
  });

  it('running the cycle again right after adds no action', async () => {
    const t = await createTenant(testDb());
    await pauseScaleSuggestWorld(testDb(), t);

    const first = await cycle(t.tenantId);
    expect(first.actions_taken).toMatchObject({ campaigns_paused: 1, campaigns_scaled: 1 });
    expect(first.suggestions_created).toBe(1);
    const second = await cycle(t.tenantId);
    expect(second.actions_taken).toMatchObject({ campaigns_paused: 0, campaigns_scaled: 0 });
    expect(second.suggestions_created).toBe(0);
    expect(second.guardrail_stops.map((s) => s.guardrail)).toEqual(['cooldown']);
    expect(await actionsOf(testDb(), t)).toHaveLength(3);
  });

  it('a dry run reports the decisions and writes nothing', async () => {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, id, steadyDays(3, { spend: 40, revenue: 10 }));
    const result = await runCycle(testDb(), t.tenantId, { now: NOW, dryRun: true });
    expect(result.decisions).toMatchObject([{ campaign_id: id, action_type: 'auto_pause', mode: 'execute' }]);
    expect(result.cycle_id).toBeNull();
    expect(await actionsOf(testDb(), t)).toEqual([]);
    expect((await campaignState(testDb(), t, id)).status).toBe('active');
  });

  it('reports each guardrail that stopped an action', async () => {
    const t = await createTenant(testDb(), {
      guardrails: { max_daily_budget_increase: 30, min_spend_before_pause: 500, min_scale_confidence: 0.9 },
    });
    const loser = await createCampaign(testDb(), t, { title: 'Cheap loser', budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, loser, steadyDays(3, { spend: 40, revenue: 10 }));
    const winner = await createCampaign(testDb(), t, { title: 'Winner', budget: 100, hoursRunning: 96 });
    await addStats(testDb(), t, winner, steadyDays(2, { spend: 50, revenue: 175, conversions: 8 }));
    const maxed = await createCampaign(testDb(), t, { title: 'Maxed', budget: 100, maxBudget: 100, hoursRunning: 96 });
    await addStats(testDb(), t, maxed, steadyDays(2, { spend: 50, revenue: 175, conversions: 8 }));
    // A tenant rule without a conversions gate: ROI 3 on a single conversion is weak evidence
    // (P(ROI > 1) is about 0.8, under this tenant's 0.9).
    await testDb().session((s) =>
      s.query(
        `INSERT INTO autonomous_rules (tenant_id, rule_name, rule_type, priority, condition, action)
         VALUES ($1, 'Eager Scale', 'scale', 70, '{"metric": "roi", "operator": ">=", "threshold": 2.5}', '{"type": "auto_scale_up", "multiplier": 1.2}')`,
        [t.tenantId],
      ),
    );
    const thin = await createCampaign(testDb(), t, { title: 'Thin', budget: 100, hoursRunning: 96 });
    await addStats(testDb(), t, thin, [{ daysAgo: 0, spend: 100, revenue: 300, conversions: 1 }]);

    const result = await cycle(t.tenantId);
    const stops = Object.fromEntries(result.guardrail_stops.map((s) => [s.title, s.guardrail]));
    expect(stops).toEqual({
      'Cheap loser': 'min_spend',
      Winner: 'daily_budget_cap',
      Maxed: 'max_budget',
      Thin: 'confidence',
    });
    // A stopped rule lets the next matching one act: x1.5 would pass the $30 daily cap, x1.2 does not.
    expect(result.decisions).toMatchObject([
      { campaign_id: winner, rule: 'Eager Scale', new_state: { budget: 120 }, mode: 'execute' },
    ]);
    expect(result.actions_taken).toMatchObject({ campaigns_paused: 0, campaigns_scaled: 1 });
  });
});
