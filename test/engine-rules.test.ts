import { describe, expect, it } from 'vitest';
import { RuleValidationError } from '../src/domain/rules.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { createRule, updateRule } from '../src/engine/rules-store.ts';
import { addStats, createCampaign, createTenant, NOW, steadyDays, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const valid = {
  rule_name: 'CTR floor',
  rule_type: 'pause',
  priority: 95,
  condition: {
    match: 'all',
    terms: [{ metric: 'ctr', window: '7d', operator: '<', threshold: 0.005 }],
    min_spend: 100,
  },
  action: { type: 'auto_pause' },
};

describe('rules as data', () => {
  const testDb = useTestDb();
  const ruleCount = async (t: TestTenant) =>
    (await testDb().session((s) => s.query('SELECT id FROM autonomous_rules WHERE tenant_id = $1', [t.tenantId])))
      .length;

  it.each([
    [
      'an unknown metric',
      { condition: { terms: [{ metric: 'vibes', operator: '<', threshold: 1 }] } },
      'condition.terms.0.metric',
    ],
    [
      'an unknown operator',
      { condition: { terms: [{ metric: 'roi', operator: '=~', threshold: 1 }] } },
      'condition.terms.0.operator',
    ],
    [
      'a NaN threshold',
      { condition: { terms: [{ metric: 'roi', operator: '<', threshold: Number.NaN }] } },
      'condition.terms.0.threshold',
    ],
    [
      'an unknown window',
      { condition: { terms: [{ metric: 'roi', window: '3y', operator: '<', threshold: 1 }] } },
      'condition.terms.0.window',
    ],
    ['multiplier 5', { rule_type: 'scale', action: { type: 'auto_scale_up', multiplier: 5 } }, 'action.multiplier'],
    [
      'a negative gate',
      { condition: { metric: 'roi', operator: '<', threshold: 1, min_spend: -5 } },
      'condition.min_spend',
    ],
    ['a mismatched action', { action: { type: 'auto_scale_up', multiplier: 1.5 } }, 'action.type'],
    ['an extra field', { sql: 'DROP TABLE campaigns' }, 'rule'],
  ])('rejects %s, naming the field, and stores nothing', async (_, change, field) => {
    const t = await createTenant(testDb());
    const before = await ruleCount(t);
    const error = await createRule(testDb(), t.tenantId, { ...valid, ...change }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleValidationError);
    expect((error as RuleValidationError).field).toBe(field);
    expect(await ruleCount(t)).toBe(before);
  });

  it('a stored custom rule drives the cycle; a toggle off silences it', async () => {
    const t = await createTenant(testDb());
    const rule = await createRule(testDb(), t.tenantId, valid);
    const id = await createCampaign(testDb(), t, { title: 'Invisible', budget: 300, hoursRunning: 200 });
    // ROI 2 (no default rule fires), but hardly anyone clicks: only the custom rule objects.
    await addStats(
      testDb(),
      t,
      id,
      steadyDays(7, { spend: 30, revenue: 60, conversions: 1, impressions: 20_000, clicks: 40 }),
    );
    // The rule matches; pausing a campaign at ROI 2 would forgo more revenue than it saves, so
    // the engine refuses with the money said (a losing campaign would be paused: engine-cycle.test.ts).
    const result = await runCycle(testDb(), t.tenantId, { now: NOW, dryRun: true });
    expect(result.decisions).toEqual([]);
    expect(result.guardrail_stops).toMatchObject([{ campaign_id: id, rule: 'CTR floor', guardrail: 'expected_value' }]);

    await updateRule(testDb(), t.tenantId, rule.id, { ...valid, is_active: false });
    expect((await runCycle(testDb(), t.tenantId, { now: NOW, dryRun: true })).guardrail_stops).toEqual([]);
  });
});
