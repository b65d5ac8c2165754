// A person's "no" holds (docs/respite.md): a dismissed suggestion is not made again for the
// dismissal respite unless the evidence moved materially, and a rollback holds back every rule
// acting in the same direction on that campaign, not only the rule that acted. Decisions dated
// after the cycle's clock (a replay of a past day) hold nothing back.
import { describe, expect, it } from 'vitest';
import type { CycleResult } from '../src/contract/cycles.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { dismissAction } from '../src/ledger/decide.ts';
import { rollbackAction } from '../src/ledger/rollback.ts';
import {
  actionsOf,
  addStats,
  campaignState,
  createCampaign,
  createTenant,
  datePersonDecision,
  NOW,
  steadyDays,
  type TestTenant,
} from './support/scenario.ts';
import { expectFieldError, useTestApi } from './support/test-api.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe('respite after a person dismissed a suggestion or rolled back an action', () => {
  const { db: testDb, tenantClients } = useTestApi();

  const cycle = (t: TestTenant, now: Date, dryRun = false) => runCycle(testDb(), t.tenantId, { now, dryRun });
  const about = (result: CycleResult, campaignId: string) => ({
    decisions: result.decisions.filter((d) => d.campaign_id === campaignId),
    stops: result.guardrail_stops.filter((s) => s.campaign_id === campaignId),
  });

  /** A losing campaign with autopilot off: both default pause rules match, the engine only suggests. */
  async function suggestedPause(settings: object = {}) {
    const t = await createTenant(testDb(), { guardrails: settings });
    const id = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 72, autopilot: false });
    await addStats(testDb(), t, id, steadyDays(3, { spend: 400, revenue: 100 }));
    await cycle(t, NOW);
    const [suggestion] = await actionsOf(testDb(), t);
    expect(suggestion).toMatchObject({ action_type: 'auto_pause', status: 'pending' });
    await dismissAction(testDb(), t.tenantId, suggestion!.id);
    return { t, id, suggestionId: suggestion!.id };
  }

  it('does not suggest a dismissed pause again at the next cycle, and says why', async () => {
    const { t, id, suggestionId } = await suggestedPause();
    await datePersonDecision(testDb(), t, suggestionId, at(60_000));

    const next = about(await cycle(t, at(HOUR_MS)), id);
    expect(next.decisions).toEqual([]);
    // Both pause rules are held back; one stop per campaign and guardrail is reported.
    expect(next.stops).toMatchObject([{ rule: 'Critical ROI Pause', guardrail: 'dismissed' }]);
    expect(next.stops[0]!.detail).toMatch(
      /^a person dismissed a pause of this campaign on 2026-11-20 \(100% likely right, net \$[\d,.]+; now 100%, net \$[\d,.]+\): not suggested again before 2026-12-20 unless/,
    );
    expect((await actionsOf(testDb(), t)).map((a) => a.status)).toEqual(['dismissed']);
  });

  it('suggests it again once the respite (30 days by default) is over', async () => {
    const { t, id, suggestionId } = await suggestedPause();
    // Dismissed 29 days before the cycle: still held back.
    await datePersonDecision(testDb(), t, suggestionId, at(-29 * DAY_MS));
    expect(about(await cycle(t, NOW, true), id).stops).toMatchObject([{ guardrail: 'dismissed' }]);
    // Dismissed 31 days before: the respite is over.
    await datePersonDecision(testDb(), t, suggestionId, at(-31 * DAY_MS));
    const later = about(await cycle(t, NOW), id);
    expect(later.decisions).toMatchObject([{ action_type: 'auto_pause', mode: 'suggest' }]);
    expect(later.decisions[0]!.reason).not.toContain('Suggested again');
    expect((await actionsOf(testDb(), t)).map((a) => a.status)).toEqual(['dismissed', 'pending']);
  });

  it('follows the tenant’s dismissal_respite_days', async () => {
    const { t, id, suggestionId } = await suggestedPause({ dismissal_respite_days: 2 });
    await datePersonDecision(testDb(), t, suggestionId, at(-3 * DAY_MS));
    expect(about(await cycle(t, NOW, true), id).decisions).toHaveLength(1);
  });

  it('a dismissal dated after the cycle’s clock (replaying a past day) holds nothing back', async () => {
    const { t, id, suggestionId } = await suggestedPause();
    await datePersonDecision(testDb(), t, suggestionId, at(2 * HOUR_MS));
    expect(about(await cycle(t, at(HOUR_MS), true), id).decisions).toMatchObject([{ action_type: 'auto_pause' }]);
    expect(about(await cycle(t, at(3 * HOUR_MS), true), id).stops).toMatchObject([{ guardrail: 'dismissed' }]);
  });

  it('asks again within the respite when the evidence moved materially, as a suggestion only', async () => {
    const t = await createTenant(testDb());
    // ROI 0.6 over two days: about 85% likely to be losing money, below the 90% to pause alone.
    const id = await createCampaign(testDb(), t, { budget: 200, hoursRunning: 48 });
    await addStats(testDb(), t, id, steadyDays(2, { spend: 100, revenue: 60 }));
    const first = about(await cycle(t, NOW), id).decisions;
    expect(first).toMatchObject([{ action_type: 'auto_pause', mode: 'suggest' }]);
    expect(first[0]!.confidence).toBeLessThan(0.9);
    const [suggestion] = await actionsOf(testDb(), t);
    await dismissAction(testDb(), t.tenantId, suggestion!.id);
    await datePersonDecision(testDb(), t, suggestion!.id, at(60_000));

    // Two more days at ROI 0.1: far surer now, 10+ points over what was dismissed.
    await addStats(
      testDb(),
      t,
      id,
      [-1, -2].map((daysAgo) => ({ daysAgo, spend: 100, revenue: 10, conversions: 1 })),
    );
    const later = about(await cycle(t, at(2 * DAY_MS + HOUR_MS)), id).decisions;
    expect(later).toMatchObject([{ action_type: 'auto_pause' }]);
    expect(later[0]!.confidence).toBeGreaterThanOrEqual(first[0]!.confidence + 0.1);
    // Sure enough to pause alone on autopilot, but a person said no once: they decide again.
    expect(later[0]!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(later[0]!.mode).toBe('suggest');
    expect(later[0]!.reason).toContain("Suggested again within 30 days of a person's dismissal on 2026-11-20");
    expect((await campaignState(testDb(), t, id)).status).toBe('active');
  });

  /** A losing campaign on autopilot that the highest pause rule pauses, and a winner that a scale rule scales. */
  async function rolledBackPause() {
    const t = await createTenant(testDb());
    const loser = await createCampaign(testDb(), t, { title: 'Loser', budget: 200, hoursRunning: 72 });
    await addStats(testDb(), t, loser, steadyDays(3, { spend: 400, revenue: 100 }));
    const first = await cycle(t, NOW);
    expect(about(first, loser).decisions).toMatchObject([{ rule: 'Critical ROI Pause', mode: 'execute' }]);
    const [pause] = await actionsOf(testDb(), t);
    await rollbackAction(testDb(), t.tenantId, pause!.id);
    await datePersonDecision(testDb(), t, pause!.id, at(60_000));
    expect((await campaignState(testDb(), t, loser)).status).toBe('active');
    return { t, loser, pauseId: pause!.id };
  }

  /** A pause of the campaign that a person rolled back at `rolledBackAt`, an hour after it was made. */
  const rolledBackPauseAt = (t: TestTenant, campaignId: string, rolledBackAt: Date) =>
    testDb().session((s) =>
      s.query(
        `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, previous_state, new_state, status,
                                         executed_at, rolled_back_at, created_at)
         VALUES ($1, $2, 'auto_pause', 'paused', '{"status": "active"}', '{"status": "paused"}', 'rolled_back',
                 $3::timestamptz - interval '1 hour', $3, $3::timestamptz - interval '1 hour')`,
        [t.tenantId, campaignId, rolledBackAt.toISOString()],
      ),
    );

  const deactivate = (t: TestTenant, ruleName: string) =>
    testDb().session((s) =>
      s.query('UPDATE autonomous_rules SET is_active = false WHERE tenant_id = $1 AND rule_name = $2', [
        t.tenantId,
        ruleName,
      ]),
    );

  it('a rolled-back pause holds back every pause rule on that campaign, not only the one that acted', async () => {
    const { t, loser, pauseId } = await rolledBackPause();
    const next = about(await cycle(t, at(HOUR_MS)), loser);
    expect(next.decisions).toEqual([]);
    expect(next.stops).toMatchObject([{ rule: 'Critical ROI Pause', guardrail: 'rolled_back' }]);
    expect(next.stops[0]!.detail).toBe(
      'a person rolled back a pause of this campaign less than 72 h ago: no rule does it again before then',
    );
    // The other pause rule, which matches as well, was the one that used to pause it again.
    await deactivate(t, 'Critical ROI Pause');
    const other = about(await cycle(t, at(2 * HOUR_MS)), loser);
    expect(other.decisions).toEqual([]);
    expect(other.stops).toMatchObject([{ rule: 'Low ROI Pause', guardrail: 'rolled_back' }]);
    expect((await campaignState(testDb(), t, loser)).status).toBe('active');
    // Once the rollback respite (72 h) is over, the pause rules act again.
    await datePersonDecision(testDb(), t, pauseId, at(-73 * HOUR_MS));
    expect(about(await cycle(t, NOW, true), loser).decisions).toMatchObject([
      { rule: 'Low ROI Pause', action_type: 'auto_pause' },
    ]);
  });

  it('a rolled-back pause does not hold back a rule acting in another direction', async () => {
    const t = await createTenant(testDb());
    const winner = await createCampaign(testDb(), t, { title: 'Winner', budget: 100, hoursRunning: 96 });
    await addStats(testDb(), t, winner, steadyDays(2, { spend: 50, revenue: 175, conversions: 8 }));
    // A person rolled back a pause of this campaign an hour ago (when it looked worse).
    await rolledBackPauseAt(t, winner, at(-HOUR_MS));
    const result = about(await cycle(t, NOW), winner);
    expect(result.stops).toEqual([]);
    expect(result.decisions).toMatchObject([{ action_type: 'auto_scale_up', mode: 'execute' }]);
  });

  it('a rollback dated after the cycle’s clock (replaying a past day) holds nothing back', async () => {
    const { t, loser, pauseId } = await rolledBackPause();
    await datePersonDecision(testDb(), t, pauseId, at(2 * HOUR_MS));
    expect(about(await cycle(t, at(HOUR_MS), true), loser).decisions).toMatchObject([{ action_type: 'auto_pause' }]);
    expect(about(await cycle(t, at(3 * HOUR_MS), true), loser).stops).toMatchObject([{ guardrail: 'rolled_back' }]);
    // An earlier rollback inside the window still counts although a later one exists.
    await rolledBackPauseAt(t, loser, at(-HOUR_MS));
    expect(about(await cycle(t, at(HOUR_MS), true), loser).stops).toMatchObject([{ guardrail: 'rolled_back' }]);
  });

  it('validates dismissal_respite_days: a bad value is refused naming the field, and nothing changes', async () => {
    const { t, viewer, admin } = await tenantClients();
    const path = `/api/tenants/${t.tenantId}`;
    expect((await viewer.get(path)).body.guardrails).toMatchObject({
      dismissal_respite_days: 30,
      rollback_cooldown_hours: 72,
    });
    const changed = await admin.patch(path, { guardrails: { dismissal_respite_days: 14 } });
    expect(changed.status).toBe(200);
    expect(changed.body.guardrails.dismissal_respite_days).toBe(14);
    for (const bad of [-1, 1.5, 366, '30', null]) {
      const refused = await admin.patch(path, { guardrails: { dismissal_respite_days: bad, cooldown_hours: 1 } });
      expectFieldError(refused, 'guardrails.dismissal_respite_days', JSON.stringify(bad));
    }
    expect((await viewer.get(path)).body.guardrails).toMatchObject({ dismissal_respite_days: 14, cooldown_hours: 24 });
  });
});
