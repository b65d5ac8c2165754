// A replayed cycle (`asOf`, docs/replay.md) decides exactly what a cycle run at that instant
// decided, whatever happened since: stats reported or revised later, campaigns created later, the
// engine's own later actions, rollbacks, dismissals and opportunities.
import { describe, expect, it } from 'vitest';
import type { CycleResult } from '../src/contract/cycles.ts';
import type { Database } from '../src/db/port.ts';
import { upsertStats } from '../src/db/repositories/stats.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { dismissAction } from '../src/ledger/decide.ts';
import { rollbackAction } from '../src/ledger/rollback.ts';
import { actionsOf, campaignState, createCampaign, createTenant, NOW, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const HOUR_MS = 3_600_000;
const T = NOW;
const at = (hoursAfterT: number) => new Date(T.getTime() + hoursAfterT * HOUR_MS);
const day = (daysAgo: number) => new Date(T.getTime() - daysAgo * 24 * HOUR_MS).toISOString().slice(0, 10);

interface Reported {
  daysAgo: number;
  spend: number;
  revenue: number;
  conversions: number;
}

/** Stats rows as the ingestion path writes them, reported at `reportedAt`. */
async function report(db: Database, t: TestTenant, campaignId: string, days: Reported[], reportedAt: Date) {
  const rows = days.map((d) => ({
    campaign_id: campaignId,
    stat_date: day(d.daysAgo),
    channel: 'google_ads',
    impressions: 10_000,
    sends: 0,
    opens: 0,
    clicks: 200,
    replies: 0,
    meetings: 0,
    conversions: d.conversions,
    spend: d.spend,
    revenue: d.revenue,
  }));
  await db.session((s) => upsertStats(s, t.tenantId, rows, reportedAt));
}

const losing = [0, 1, 2].map((daysAgo) => ({ daysAgo, spend: 400, revenue: 100, conversions: 10 }));
const winning = [0, 1].map((daysAgo) => ({ daysAgo, spend: 50, revenue: 175, conversions: 8 }));

/** The world up to T: a loser, a winner, a loser with autopilot off, and one that only looks bad. */
async function worldAtT(db: Database) {
  const t = await createTenant(db);
  const loser = await createCampaign(db, t, { title: 'Loser', budget: 200, hoursRunning: 72 });
  const winner = await createCampaign(db, t, { title: 'Winner', budget: 100, hoursRunning: 96 });
  const suggested = await createCampaign(db, t, {
    title: 'Asks first',
    budget: 200,
    hoursRunning: 72,
    autopilot: false,
  });
  const late = await createCampaign(db, t, { title: 'Late converter', budget: 200, hoursRunning: 72 });
  for (const [id, days] of [
    [loser, losing],
    [winner, winning],
    [suggested, losing],
    [late, losing],
  ] as const)
    await report(db, t, id, days, at(-1));
  return { t, loser, winner, suggested, late };
}

/** Everything after T that a replay of T must not see. */
async function laterEvents(db: Database, w: Awaited<ReturnType<typeof worldAtT>>) {
  // The engine's own cycle an hour later, the same day: pauses, a scale (the daily budget cap),
  // a pending suggestion, opportunities.
  const later = await runCycle(db, w.t.tenantId, { now: at(1) });
  expect(later.actions_taken.campaigns_paused).toBeGreaterThan(0);
  expect(later.actions_taken.campaigns_scaled).toBe(1);
  const actions = await actionsOf(db, w.t);
  // A person rolls back the late converter's pause and dismisses the suggestion.
  const latePause = actions.find((a) => a.campaign_id === w.late && a.action_type === 'auto_pause')!;
  await rollbackAction(db, w.t.tenantId, latePause.id);
  const suggestion = actions.find((a) => a.status === 'pending')!;
  await dismissAction(db, w.t.tenantId, suggestion.id);
  // The late converter's conversions arrive the next day; every campaign reports a new day.
  await report(
    db,
    w.t,
    w.late,
    losing.map((d) => ({ ...d, revenue: 1_600, conversions: 160 })),
    at(24),
  );
  for (const id of [w.loser, w.winner, w.suggested])
    await report(db, w.t, id, [{ daysAgo: -1, spend: 400, revenue: 40, conversions: 4 }], at(24));
  // A campaign created after T, with bad stats.
  const newcomer = await createCampaign(db, w.t, { title: 'Newcomer', budget: 200, hoursRunning: -2 });
  await report(db, w.t, newcomer, losing, at(3));
}

/** A result without what says when it ran and on which view. */
const decided = ({ timestamp: _t, as_of: _a, ...rest }: CycleResult) => rest;

describe('a replayed cycle (as of an instant)', () => {
  const testDb = useTestDb();

  it('decides what a cycle at that instant decided, before anything later existed', async () => {
    const w = await worldAtT(testDb());
    const atT = await runCycle(testDb(), w.t.tenantId, { now: T, dryRun: true });
    expect(atT.decisions.map((d) => [d.title, d.action_type, d.mode])).toEqual(
      expect.arrayContaining([
        ['Loser', 'auto_pause', 'execute'],
        ['Winner', 'auto_scale_up', 'execute'],
        ['Asks first', 'auto_pause', 'suggest'],
        ['Late converter', 'auto_pause', 'execute'],
      ]),
    );
    expect(atT.actions_taken.opportunities_detected).toBeGreaterThan(0);

    await laterEvents(testDb(), w);

    const replay = await runCycle(testDb(), w.t.tenantId, { asOf: T, now: at(48), dryRun: true });
    expect(replay).toMatchObject({ dry_run: true, as_of: T.toISOString(), timestamp: at(48).toISOString() });
    expect(decided(replay)).toEqual(decided(atT));
    // Without the replay's view, the same clock reads today's tables and decides otherwise.
    const naive = await runCycle(testDb(), w.t.tenantId, { now: T, dryRun: true });
    expect(decided(naive)).not.toEqual(decided(atT));
  });

  it('revives a pause as the cycle at that instant would have, though it was revived since', async () => {
    const t = await createTenant(testDb());
    const id = await createCampaign(testDb(), t, { title: 'Late converter', budget: 200, hoursRunning: 96 });
    const earlier = [1, 2, 3].map((daysAgo) => ({ daysAgo, spend: 400, revenue: 100, conversions: 10 }));
    await report(testDb(), t, id, earlier, at(-30));
    const paused = await runCycle(testDb(), t.tenantId, { now: at(-20) });
    expect(paused.actions_taken.campaigns_paused).toBe(1);
    await report(
      testDb(),
      t,
      id,
      earlier.map((d) => ({ ...d, revenue: 1_600, conversions: 160 })),
      at(-2),
    );
    const atT = await runCycle(testDb(), t.tenantId, { now: T, dryRun: true });
    expect(atT.decisions).toMatchObject([{ campaign_id: id, action_type: 'auto_resume', mode: 'execute' }]);

    // Revived an hour later: the campaign is active and changed after T.
    expect((await runCycle(testDb(), t.tenantId, { now: at(1) })).campaigns_resumed).toBe(1);
    const replay = await runCycle(testDb(), t.tenantId, { asOf: T, now: at(48), dryRun: true });
    expect(decided(replay)).toEqual(decided(atT));
  });

  it('keeps a revised stats row as it was reported at the instant (campaign_stats_versions)', async () => {
    const w = await worldAtT(testDb());
    await report(testDb(), w.t, w.late, [{ daysAgo: 1, spend: 400, revenue: 900, conversions: 90 }], at(5));
    await report(testDb(), w.t, w.late, [{ daysAgo: 1, spend: 400, revenue: 1_500, conversions: 150 }], at(30));
    const versions = await testDb().session((s) =>
      s.query<{ conversions: string; updated_at: Date; superseded_at: Date }>(
        'SELECT conversions::text, updated_at, superseded_at FROM campaign_stats_versions WHERE tenant_id = $1 ORDER BY updated_at',
        [w.t.tenantId],
      ),
    );
    expect(versions.map((v) => [v.conversions, v.updated_at.toISOString(), v.superseded_at.toISOString()])).toEqual([
      ['10', at(-1).toISOString(), at(5).toISOString()],
      ['90', at(5).toISOString(), at(30).toISOString()],
    ]);
    // Replayed between the two revisions, the late converter has the first one's conversions.
    const between = await runCycle(testDb(), w.t.tenantId, { asOf: at(6), dryRun: true });
    const beforeBoth = await runCycle(testDb(), w.t.tenantId, { asOf: T, dryRun: true });
    const lateDecision = (r: CycleResult) => r.decisions.find((d) => d.campaign_id === w.late);
    expect(lateDecision(beforeBoth)?.action_type).toBe('auto_pause');
    expect(lateDecision(between)?.reason).not.toEqual(lateDecision(beforeBoth)?.reason);
  });

  it('applied, writes now only where the campaign is still as it was then, and says it replayed', async () => {
    const w = await worldAtT(testDb());
    await laterEvents(testDb(), w);
    const loserBefore = await campaignState(testDb(), w.t, w.loser);

    const applied = await runCycle(testDb(), w.t.tenantId, { asOf: T, now: at(48) });
    expect(applied).toMatchObject({ dry_run: false, as_of: T.toISOString() });
    // Campaigns the engine changed after T are not acted on again with T's view.
    const changed = applied.guardrail_stops.filter((s) => s.guardrail === 'changed_during_cycle').map((s) => s.title);
    expect(changed).toEqual(expect.arrayContaining(['Loser', 'Winner', 'Late converter']));
    expect(await campaignState(testDb(), w.t, w.loser)).toEqual(loserBefore);
    // The suggestion made (and dismissed) after T is not in T's view, so it is made again: the
    // danger of acting on a past view (docs/replay.md). Dated now, it says on what view.
    expect(applied.decisions.map((d) => [d.title, d.mode])).toEqual([['Asks first', 'suggest']]);
    const [row] = await testDb().session((s) =>
      s.query<{ reason: string; created_at: Date }>(
        "SELECT reason, created_at FROM autonomous_actions WHERE tenant_id = $1 AND campaign_id = $2 AND status = 'pending'",
        [w.t.tenantId, w.suggested],
      ),
    );
    expect(row!.reason).toMatch(new RegExp(`^Replayed on the data as of ${T.toISOString()}: `));
    expect(row!.created_at.toISOString()).toBe(at(48).toISOString());
  });
});
