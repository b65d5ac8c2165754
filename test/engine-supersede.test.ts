// A suggestion nobody answered does not freeze a campaign: once later data makes the engine sure
// enough to act alone, it acts and closes the suggestion as superseded (src/domain/guardrails.ts).
import { describe, expect, it } from 'vitest';
import { runCycle } from '../src/engine/cycle.ts';
import { dismissAction } from '../src/ledger/decide.ts';
import { actionsOf, addStats, campaignState, createCampaign, createTenant, NOW } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const DAY_MS = 86_400_000;
const threeDaysLater = new Date(NOW.getTime() + 3 * DAY_MS);

describe('a pending suggestion and a later, surer cycle', () => {
  const testDb = useTestDb();

  /** Suggested at first (one $30 order on $120), then three more days of $400 and no order. */
  async function unclearThenClearLoser(autopilot: boolean) {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { title: 'Fading', budget: 400, hoursRunning: 72, autopilot });
    await addStats(testDb(), t, id, [
      { daysAgo: 1, spend: 40, revenue: 30, conversions: 1 },
      { daysAgo: 2, spend: 40, revenue: 0, conversions: 0 },
      { daysAgo: 3, spend: 40, revenue: 0, conversions: 0 },
    ]);
    const first = await runCycle(testDb(), t.tenantId, { now: NOW });
    expect(first.decisions).toMatchObject([{ campaign_id: id, action_type: 'auto_pause', mode: 'suggest' }]);
    await addStats(
      testDb(),
      t,
      id,
      [0, -1, -2, -3].map((daysAgo) => ({ daysAgo, spend: 400, revenue: 0, conversions: 0 })),
    );
    const [suggestion] = await actionsOf(testDb(), t);
    return { t, id, suggestion: suggestion! };
  }

  it('acts once sure, and closes the suggestion as superseded', async () => {
    const { t, id, suggestion } = await unclearThenClearLoser(true);
    const later = await runCycle(testDb(), t.tenantId, { now: threeDaysLater });

    expect(later.decisions).toMatchObject([{ campaign_id: id, action_type: 'auto_pause', mode: 'execute' }]);
    expect(later.decisions[0]!.confidence).toBeGreaterThanOrEqual(0.9);
    expect((await campaignState(testDb(), t, id)).status).toBe('paused');
    const ledger = await actionsOf(testDb(), t);
    expect(ledger.map((a) => [a.id === suggestion.id, a.status])).toEqual([
      [true, 'superseded'],
      [false, 'executed'],
    ]);
    expect(ledger[1]!.reason).toMatch(/replaces the suggestion still awaiting a person/);
  });

  it('with autopilot off, adds nothing: the suggestion already awaits a person', async () => {
    const { t, id, suggestion } = await unclearThenClearLoser(false);
    const later = await runCycle(testDb(), t.tenantId, { now: threeDaysLater });

    expect(later.decisions).toEqual([]);
    expect(later.suggestions_created).toBe(0);
    expect((await campaignState(testDb(), t, id)).status).toBe('active');
    expect((await actionsOf(testDb(), t)).map((a) => [a.id, a.status])).toEqual([[suggestion.id, 'pending']]);
  });

  it('leaves a suggestion a person answered while the cycle ran as they answered it', async () => {
    const { t, id, suggestion } = await unclearThenClearLoser(true);
    const later = await runCycle(testDb(), t.tenantId, {
      now: threeDaysLater,
      beforeWrite: async () => {
        await dismissAction(testDb(), t.tenantId, suggestion.id);
      },
    });

    expect(later.decisions).toEqual([]);
    expect(later.guardrail_stops).toMatchObject([
      { campaign_id: id, guardrail: 'changed_during_cycle', detail: expect.stringMatching(/a person answered/) },
    ]);
    expect((await campaignState(testDb(), t, id)).status).toBe('active');
    expect((await actionsOf(testDb(), t)).map((a) => a.status)).toEqual(['dismissed']);
  });
});
