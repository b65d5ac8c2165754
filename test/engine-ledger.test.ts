import { describe, expect, it } from 'vitest';
import { runCycle } from '../src/engine/cycle.ts';
import { approveAction, dismissAction } from '../src/ledger/decide.ts';
import { ActionConflictError, ActionNotFoundError, ActionStatusError } from '../src/ledger/errors.ts';
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
import { useTestDb } from './support/test-db.ts';

describe('the action ledger: rollback, approve, dismiss', () => {
  const testDb = useTestDb();

  async function scaledCampaign(autopilot = true): Promise<{ t: TestTenant; id: string; actionId: string }> {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { budget: 100, hoursRunning: 96, autopilot });
    await addStats(testDb(), t, id, steadyDays(2, { spend: 50, revenue: 175, conversions: 8 }));
    await runCycle(testDb(), t.tenantId, { now: NOW });
    const [action] = await actionsOf(testDb(), t);
    return { t, id, actionId: action!.id };
  }

  const setBudget = (t: TestTenant, id: string, budget: number) =>
    testDb().session((s) =>
      s.query('UPDATE campaigns SET budget = $3 WHERE tenant_id = $1 AND id = $2', [t.tenantId, id, budget]),
    );

  it('rollback restores the previous state and records itself; a second rollback changes nothing', async () => {
    const { t, id, actionId } = await scaledCampaign();
    expect((await campaignState(testDb(), t, id)).budget).toBe('150.00');

    expect(await rollbackAction(testDb(), t.tenantId, actionId)).toEqual({
      action_id: actionId,
      status: 'rolled_back',
      unchanged: false,
    });
    expect((await campaignState(testDb(), t, id)).budget).toBe('100.00');
    const ledger = await actionsOf(testDb(), t);
    expect(ledger.map((a) => [a.action_type, a.status])).toEqual([
      ['auto_scale_up', 'rolled_back'],
      ['rollback', 'executed'],
    ]);
    expect(ledger[1]).toMatchObject({
      previous_state: { status: 'active', budget: 150 },
      new_state: { status: 'active', budget: 100 },
    });

    expect(await rollbackAction(testDb(), t.tenantId, actionId)).toEqual({
      action_id: actionId,
      status: 'rolled_back',
      unchanged: true,
    });
    expect(await actionsOf(testDb(), t)).toHaveLength(2);
    expect((await campaignState(testDb(), t, id)).budget).toBe('100.00');

    // The person rolled it back a minute after the cycle (on the scenario's clock). A day later the
    // scale rule still matches, but a person overruled it: it stays away for 72 h.
    await datePersonDecision(testDb(), t, actionId, new Date(NOW.getTime() + 60_000));
    const dayLater = await runCycle(testDb(), t.tenantId, { now: new Date(NOW.getTime() + 25 * 3_600_000) });
    expect(dayLater.actions_taken.campaigns_scaled).toBe(0);
    expect(dayLater.guardrail_stops.map((s) => s.guardrail)).toEqual(['rolled_back']);
  });

  it('rollback after a manual edit is refused with what changed since', async () => {
    const { t, id, actionId } = await scaledCampaign();
    await setBudget(t, id, 120);
    const refusal = await rollbackAction(testDb(), t.tenantId, actionId).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ActionConflictError);
    expect(refusal).toMatchObject({
      message: 'cannot roll back: the campaign changed since (budget is 120, expected 150)',
      expected: { status: 'active', budget: 150 },
      actual: { status: 'active', budget: 120 },
    });
    expect((await campaignState(testDb(), t, id)).budget).toBe('120.00');
    expect((await actionsOf(testDb(), t)).map((a) => a.status)).toEqual(['executed']);
  });

  it('approve executes a pending suggestion; dismiss closes one; neither works twice in the wrong status', async () => {
    const { t, id, actionId } = await scaledCampaign(false);
    expect((await campaignState(testDb(), t, id)).budget).toBe('100.00');
    expect(await approveAction(testDb(), t.tenantId, actionId)).toMatchObject({ status: 'executed', unchanged: false });
    expect((await campaignState(testDb(), t, id)).budget).toBe('150.00');
    expect(await approveAction(testDb(), t.tenantId, actionId)).toMatchObject({ status: 'executed', unchanged: true });
    await expect(dismissAction(testDb(), t.tenantId, actionId)).rejects.toBeInstanceOf(ActionStatusError);
    await expect(dismissAction(testDb(), t.tenantId, actionId)).rejects.toThrow(
      'only pending suggestions can be dismissed; this one is executed',
    );

    const other = await scaledCampaign(false);
    expect(await dismissAction(testDb(), other.t.tenantId, other.actionId)).toMatchObject({ status: 'dismissed' });
    expect((await campaignState(testDb(), other.t, other.id)).budget).toBe('100.00');
    await expect(approveAction(testDb(), other.t.tenantId, other.actionId)).rejects.toBeInstanceOf(ActionStatusError);
    await expect(rollbackAction(testDb(), other.t.tenantId, other.actionId)).rejects.toBeInstanceOf(ActionStatusError);
  });

  it('approve refuses when the campaign moved since the suggestion', async () => {
    const { t, id, actionId } = await scaledCampaign(false);
    await setBudget(t, id, 90);
    await expect(approveAction(testDb(), t.tenantId, actionId)).rejects.toThrow(
      'cannot approve: the campaign changed since (budget is 90, expected 100)',
    );
    expect((await campaignState(testDb(), t, id)).budget).toBe('90.00');
  });

  it("another tenant's action is not found", async () => {
    const { actionId } = await scaledCampaign();
    const stranger = await createTenant(testDb());
    await expect(rollbackAction(testDb(), stranger.tenantId, actionId)).rejects.toBeInstanceOf(ActionNotFoundError);
  });
});
