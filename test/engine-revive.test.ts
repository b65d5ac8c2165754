// Auto-revive (docs/revive.md): a campaign the engine paused on conversions that had not all
// arrived is resumed once the late ones show it was good, with a ledger row of its own that
// names the pause and rolls back like any other; one that stays bad, or that a person paused, is
// left alone; without autopilot it is a suggestion.
import { describe, expect, it } from 'vitest';
import { guardrailSettingsSchema } from '../src/contract/tenant-settings.ts';
import type { Database } from '../src/db/port.ts';
import { upsertStats } from '../src/db/repositories/stats.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { rollbackAction } from '../src/ledger/rollback.ts';
import { actionsOf, campaignState, createCampaign, createTenant, NOW, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const DAY_MS = 24 * 3_600_000;
const day = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY_MS).toISOString().slice(0, 10);
const NEXT_DAY = new Date(NOW.getTime() + DAY_MS);

/** Three days at $400 a day, with `conversions` orders of $10 each day, reported at `reportedAt`. */
async function report(db: Database, t: TestTenant, campaignId: string, conversions: number, reportedAt: Date) {
  const rows = [0, 1, 2].map((daysAgo) => ({
    campaign_id: campaignId,
    stat_date: day(daysAgo),
    channel: 'google_ads',
    impressions: 10_000,
    sends: 0,
    opens: 0,
    clicks: 200,
    replies: 0,
    meetings: 0,
    conversions,
    spend: 400,
    revenue: conversions * 10,
  }));
  await db.session((s) => upsertStats(s, t.tenantId, rows, reportedAt));
}

/** A campaign that looks like a loser at NOW (ROI 0.25) and that the engine pauses. */
async function pausedByEngine(db: Database, t: TestTenant, title: string) {
  const id = await createCampaign(db, t, { title, budget: 200, hoursRunning: 72 });
  await report(db, t, id, 10, NOW);
  const cycle = await runCycle(db, t.tenantId, { now: NOW });
  expect(cycle.decisions).toContainEqual(
    expect.objectContaining({ campaign_id: id, action_type: 'auto_pause', mode: 'execute' }),
  );
  const pause = (await actionsOf(db, t)).find((a) => a.campaign_id === id && a.action_type === 'auto_pause')!;
  return { id, pause };
}

const resumesOf = (db: Database, t: TestTenant) =>
  db.session((s) =>
    s.query<{ id: string; campaign_id: string; status: string; reason: string; reverses_action_id: string }>(
      "SELECT * FROM autonomous_actions WHERE tenant_id = $1 AND action_type = 'auto_resume' ORDER BY created_at",
      [t.tenantId],
    ),
  );

describe('auto-revive', () => {
  const testDb = useTestDb();

  it('resumes a campaign whose late conversions show it was good, with a ledger row naming the pause', async () => {
    const t = await createTenant(testDb());
    const { id, pause } = await pausedByEngine(testDb(), t, 'Late converter');
    // The next day the platform revises the same days: 16x the conversions (ROI 4).
    await report(testDb(), t, id, 160, NEXT_DAY);

    const cycle = await runCycle(testDb(), t.tenantId, { now: NEXT_DAY });
    expect(cycle.campaigns_resumed).toBe(1);
    const [decision] = cycle.decisions.filter((d) => d.action_type === 'auto_resume');
    expect(decision).toMatchObject({
      campaign_id: id,
      mode: 'execute',
      previous_state: { status: 'paused', budget: 200 },
      new_state: { status: 'active', budget: 200 },
    });
    expect(decision!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(decision!.reason).toContain(`Reverses the engine's pause ${pause.id}`);
    expect(await campaignState(testDb(), t, id)).toMatchObject({ status: 'active' });
    const [resume] = await resumesOf(testDb(), t);
    expect(resume).toMatchObject({ status: 'executed', reverses_action_id: pause.id });

    // A second cycle neither resumes it again nor pauses it (ROI 4: its scale rule may act now).
    const again = await runCycle(testDb(), t.tenantId, { now: NEXT_DAY });
    expect(again.decisions.filter((d) => d.campaign_id === id).map((d) => d.action_type)).not.toContain(
      expect.stringMatching(/^auto_(resume|pause)$/),
    );

    // A person rolling back the original pause does not conflict: the campaign is already active.
    await expect(rollbackAction(testDb(), t.tenantId, pause.id)).resolves.toMatchObject({ status: 'rolled_back' });
    expect(await campaignState(testDb(), t, id)).toMatchObject({ status: 'active' });
  });

  it('rolls back like any other action, and does not revive the same pause again', async () => {
    const t = await createTenant(testDb());
    const { id } = await pausedByEngine(testDb(), t, 'Late converter');
    await report(testDb(), t, id, 160, NEXT_DAY);
    await runCycle(testDb(), t.tenantId, { now: NEXT_DAY });
    const [resume] = await resumesOf(testDb(), t);

    await rollbackAction(testDb(), t.tenantId, resume!.id);
    expect(await campaignState(testDb(), t, id)).toMatchObject({ status: 'paused' });
    const after = await runCycle(testDb(), t.tenantId, { now: NEXT_DAY });
    expect(after.campaigns_resumed).toBe(0);
    expect(await campaignState(testDb(), t, id)).toMatchObject({ status: 'paused' });
  });

  it('leaves alone a paused campaign that stays bad, and one a person paused', async () => {
    const t = await createTenant(testDb());
    const { id: stillBad } = await pausedByEngine(testDb(), t, 'Still bad');
    // A few more conversions arrive, not enough to make it profitable.
    await report(testDb(), t, stillBad, 14, NEXT_DAY);
    const personPaused = await createCampaign(testDb(), t, {
      title: 'Paused by a person',
      budget: 200,
      hoursRunning: 72,
      status: 'paused',
    });
    await report(testDb(), t, personPaused, 160, NEXT_DAY);

    const cycle = await runCycle(testDb(), t.tenantId, { now: NEXT_DAY });
    expect(cycle.campaigns_resumed).toBe(0);
    expect(cycle.decisions.filter((d) => d.action_type === 'auto_resume')).toEqual([]);
    expect(await campaignState(testDb(), t, stillBad)).toMatchObject({ status: 'paused' });
    expect(await campaignState(testDb(), t, personPaused)).toMatchObject({ status: 'paused' });
  });

  it('only suggests the resume when the tenant’s autopilot is off, once', async () => {
    const t = await createTenant(testDb());
    const { id, pause } = await pausedByEngine(testDb(), t, 'Late converter');
    await report(testDb(), t, id, 160, NEXT_DAY);
    await testDb().session((s) => s.query('UPDATE tenants SET autonomous_enabled = false WHERE id = $1', [t.tenantId]));

    const cycle = await runCycle(testDb(), t.tenantId, { now: NEXT_DAY });
    expect(cycle.campaigns_resumed).toBe(0);
    expect(cycle.suggestions_created).toBe(1);
    expect(cycle.decisions).toMatchObject([{ campaign_id: id, action_type: 'auto_resume', mode: 'suggest' }]);
    expect(await campaignState(testDb(), t, id)).toMatchObject({ status: 'paused' });
    expect(await resumesOf(testDb(), t)).toMatchObject([{ status: 'pending', reverses_action_id: pause.id }]);
    const again = await runCycle(testDb(), t.tenantId, { now: NEXT_DAY });
    expect(again.suggestions_created).toBe(0);
  });

  it('takes its threshold from the guardrail setting revive_confidence (0.9 unless set; a probability)', () => {
    expect(guardrailSettingsSchema.parse({}).revive_confidence).toBe(0.9);
    expect(guardrailSettingsSchema.parse({ revive_confidence: 0.99 }).revive_confidence).toBe(0.99);
    expect(guardrailSettingsSchema.safeParse({ revive_confidence: 1.5 }).success).toBe(false);
  });
});
