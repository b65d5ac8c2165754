// The CMO loop's modes on generated data with known answers: which variant is killed and which is
// kept, which delay moves, which asset is stale and which campaign underperforms; what autopilot
// off changes (nothing); what a second run the same day changes (nothing); where a failure stays.
import { describe, expect, it } from 'vitest';
import { createBuiltinOptimizer } from '../src/agents/builtin-optimizer.ts';
import { LOOP_AGENT, runCmoLoop } from '../src/cmo/loop.ts';
import type { Database } from '../src/db/port.ts';
import { probabilityBest } from '../src/domain/variant-selection.ts';
import { approveAction } from '../src/ledger/decide.ts';
import { rollbackAction } from '../src/ledger/rollback.ts';
import { addStep, assetRow, daysAgo, emailCampaign, type VariantSpec, variantRow } from './support/cmo-world.ts';
import { whileUpdatesAreRefused } from './support/refused-updates.ts';
import { actionsOf, createTenant, NOW, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const REFUSAL = 'the content store refused the change';

const optimizer = createBuiltinOptimizer();
const loop = (db: Database, t: TestTenant, mode: 'optimize' | 'full' | 'summarize', now = NOW) =>
  runCmoLoop(db, t.tenantId, { mode, optimizer, triggeredBy: 'cli', now });

/** 2,000 sends each: A 4.5%, B 4.3%, C 4.0% (unlucky, still plausibly best), D 1.5% (clearly losing). */
const FOUR_VARIANTS: (VariantSpec & { sends: number; replies: number })[] = [
  { label: 'A', sends: 2000, replies: 90, replyDelays: { '24': 80, '48': 10 } },
  { label: 'B', sends: 2000, replies: 86, replyDelays: { '24': 70, '48': 14, '96': 2 } },
  { label: 'C', sends: 2000, replies: 80, replyDelays: { '24': 72, '48': 8 } },
  { label: 'D', sends: 2000, replies: 30, replyDelays: { '24': 25, '48': 5 } },
];

/** An autopilot campaign: step 0 with the four variants, step 1 a lone SMS variant that waits 120 h. */
async function fourVariantCampaign(db: Database, t: TestTenant, autopilot = true) {
  const campaignId = await emailCampaign(db, t, { title: 'Four variants', sends: 8000, replies: 286, autopilot });
  const first = await addStep(db, t, campaignId, { step: 0, variants: FOUR_VARIANTS });
  const second = await addStep(db, t, campaignId, {
    type: 'sms',
    step: 1,
    delayHours: 120,
    // The last active variant of its step: dreadful, and never killed.
    variants: [
      { label: 'A', sends: 900, replies: 0, smsCopy: 'Still interested? Reply STOP to opt out.' },
      { label: 'B', status: 'killed', sends: 900, replies: 30, smsCopy: 'Old copy. Reply STOP to opt out.' },
    ],
  });
  return { campaignId, first, second };
}

async function loopRuns(db: Database, t: TestTenant) {
  return db.session((s) =>
    s.query<{
      id: string;
      agent: string;
      mode: string;
      status: string;
      input: Record<string, unknown>;
      output: Record<string, unknown>;
      error: string | null;
      duration_ms: number | null;
      completed_at: Date | null;
      provider: string | null;
    }>('SELECT * FROM agent_runs WHERE tenant_id = $1 ORDER BY created_at, id', [t.tenantId]),
  );
}

async function optimizations(db: Database, t: TestTenant) {
  return db.session((s) =>
    s.query<{
      optimization_type: string;
      status: string;
      action_id: string;
      agent_run_id: string;
      target_variant_id: string | null;
    }>('SELECT * FROM campaign_optimizations WHERE tenant_id = $1 ORDER BY created_at, id', [t.tenantId]),
  );
}

describe('the CMO loop', () => {
  const testDb = useTestDb();

  it('the fixture means what it says: D is clearly losing, C merely unlucky', () => {
    const p = probabilityBest(FOUR_VARIANTS.map((v) => ({ successes: v.replies, trials: v.sends })));
    expect(p[3]).toBeLessThan(0.001);
    expect(p[2]).toBeGreaterThan(0.05);
  });

  it('optimize kills the clearly losing variant, keeps the unlucky and the last one, moves the delay, all reversibly', async () => {
    const db = testDb();
    const t = await createTenant(db);
    const { campaignId, first, second } = await fourVariantCampaign(db, t);

    const report = await loop(db, t, 'optimize');
    expect(report.status).toBe('completed');
    expect(report.optimize).toMatchObject({
      campaigns_optimized: 1,
      variants_killed: 1,
      changes_applied: 2,
      suggestions_created: 0,
      failed_campaigns: [],
    });
    expect((await variantRow(db, t, first.variants.D!)).status).toBe('killed');
    expect((await variantRow(db, t, first.variants.D!)).kill_reason).toMatch(/D/);
    for (const label of ['A', 'B', 'C'])
      expect((await variantRow(db, t, first.variants[label]!)).status).toBe('active');
    expect((await variantRow(db, t, second.variants.A!)).status).toBe('active');
    // 90% of the 346 replies to step 0 came within 48 h: step 1 stops waiting 120 h.
    expect((await assetRow(db, t, second.assetId)).delay_hours).toBe(48);

    const ledger = (await actionsOf(db, t)).filter((a) => a.campaign_id === campaignId);
    expect(ledger.map((a) => [a.action_type, a.status]).sort()).toEqual([
      ['change_delay', 'executed'],
      ['kill_variant', 'executed'],
    ]);
    const kill = ledger.find((a) => a.action_type === 'kill_variant')!;
    expect(kill.previous_state).toMatchObject({
      target: 'variant_status',
      variant_id: first.variants.D,
      value: 'active',
    });
    expect(kill.new_state).toMatchObject({ value: 'killed' });
    expect(Number(kill.confidence_score)).toBeGreaterThan(0.99);
    const recorded = await optimizations(db, t);
    expect(recorded.map((o) => [o.optimization_type, o.status]).sort()).toEqual([
      ['delay', 'applied'],
      ['kill_variant', 'applied'],
    ]);
    expect(recorded.every((o) => o.agent_run_id === report.run_id)).toBe(true);
    const [campaign] = await db.session((s) =>
      s.query<{ last_optimization_at: Date }>('SELECT last_optimization_at FROM campaigns WHERE id = $1', [campaignId]),
    );
    expect(campaign!.last_optimization_at.toISOString()).toBe(NOW.toISOString());

    // The same day again: nothing left to change.
    const again = await loop(db, t, 'optimize');
    expect(again.optimize).toMatchObject({ changes_applied: 0, variants_killed: 0, suggestions_created: 0 });
    expect(await actionsOf(db, t)).toHaveLength(2);

    // Each change rolls back.
    await rollbackAction(db, t.tenantId, kill.id);
    expect((await variantRow(db, t, first.variants.D!)).status).toBe('active');
    const delay = ledger.find((a) => a.action_type === 'change_delay')!;
    await rollbackAction(db, t.tenantId, delay.id);
    expect((await assetRow(db, t, second.assetId)).delay_hours).toBe(120);
    expect((await optimizations(db, t)).map((o) => o.status)).toEqual(['rolled_back', 'rolled_back']);
  });

  it('autopilot off: suggestions only and nothing changed, once; approving applies a suggestion', async () => {
    const db = testDb();
    const t = await createTenant(db);
    const { first, second } = await fourVariantCampaign(db, t, false);

    const report = await loop(db, t, 'optimize');
    expect(report.optimize).toMatchObject({ changes_applied: 0, suggestions_created: 2, variants_killed: 0 });
    expect((await variantRow(db, t, first.variants.D!)).status).toBe('active');
    expect((await assetRow(db, t, second.assetId)).delay_hours).toBe(120);
    const pending = await actionsOf(db, t);
    expect(pending.map((a) => [a.action_type, a.status]).sort()).toEqual([
      ['change_delay', 'pending'],
      ['kill_variant', 'pending'],
    ]);
    expect((await optimizations(db, t)).map((o) => o.status)).toEqual(['suggested', 'suggested']);

    // Suggested once, not every run.
    expect((await loop(db, t, 'optimize')).optimize).toMatchObject({ suggestions_created: 0, changes_skipped: 2 });
    expect(await actionsOf(db, t)).toHaveLength(2);

    const kill = pending.find((a) => a.action_type === 'kill_variant')!;
    await approveAction(db, t.tenantId, kill.id);
    expect((await variantRow(db, t, first.variants.D!)).status).toBe('killed');
    const statuses = await optimizations(db, t);
    expect(statuses.find((o) => o.action_id === kill.id)!.status).toBe('applied');
  });

  it('a tenant with autonomy switched off gets suggestions even for autopilot campaigns', async () => {
    const db = testDb();
    const t = await createTenant(db);
    await db.session((s) => s.query('UPDATE tenants SET autonomous_enabled = false WHERE id = $1', [t.tenantId]));
    const { first } = await fourVariantCampaign(db, t, true);
    const report = await loop(db, t, 'optimize');
    expect(report.optimize, JSON.stringify(report)).toMatchObject({ changes_applied: 0, suggestions_created: 2 });
    expect((await variantRow(db, t, first.variants.D!)).status).toBe('active');
  });

  it('full flags the stale asset once and alerts the 60-sends-0-replies campaign once', async () => {
    const db = testDb();
    const t = await createTenant(db);
    const quiet = await emailCampaign(db, t, { title: 'Sixty and silent', sends: 60, replies: 0, days: 3 });
    await emailCampaign(db, t, { title: 'Forty sends', sends: 40, replies: 0 });
    await emailCampaign(db, t, { title: 'Two percent', sends: 100, replies: 2 });
    // No daily stats: the campaign's own totals decide.
    const fallback = await emailCampaign(db, t, { title: 'Totals only', sends: 0, replies: 0 });
    await db.session((s) =>
      s.query('INSERT INTO campaign_metrics (tenant_id, campaign_id, sends, replies) VALUES ($1, $2, 80, 0)', [
        t.tenantId,
        fallback,
      ]),
    );
    const stale = await addStep(db, t, quiet, { step: 0, updatedDaysAgo: 20, variants: [{ label: 'A' }] });
    const fresh = await addStep(db, t, quiet, { step: 1, updatedDaysAgo: 3, variants: [{ label: 'A' }] });
    // The asset itself is old, but a variant's copy changed two days ago: not stale.
    const edited = await addStep(db, t, quiet, { step: 2, updatedDaysAgo: 30, variants: [{ label: 'A' }] });
    await db.session((s) =>
      s.query('UPDATE content_variants SET updated_at = $2 WHERE id = $1', [edited.variants.A, daysAgo(2)]),
    );

    const report = await loop(db, t, 'full');
    expect(report.status).toBe('completed');
    expect(report.stale_assets_flagged).toEqual([stale.assetId]);
    expect((await assetRow(db, t, stale.assetId)).stale_flagged_at?.toISOString()).toBe(NOW.toISOString());
    expect((await assetRow(db, t, fresh.assetId)).stale_flagged_at).toBeNull();
    expect(report.underperforming_alerts.sort()).toEqual([quiet, fallback].sort());

    const alerts = await db.session((s) =>
      s.query<{ alert_type: string; campaign_id: string; message: string }>(
        'SELECT alert_type, campaign_id, message FROM alerts WHERE tenant_id = $1 ORDER BY alert_type, message',
        [t.tenantId],
      ),
    );
    expect(alerts.map((a) => a.alert_type)).toEqual(['stale_content', 'underperforming', 'underperforming']);
    expect(alerts.find((a) => a.campaign_id === quiet && a.alert_type === 'underperforming')!.message).toBe(
      'Sixty and silent: 0 replies from 60 sends (0.00% reply rate, below 1.00%)',
    );

    // Again the same day, and again a day later: nothing twice.
    for (const now of [NOW, new Date(NOW.getTime() + 86_400_000)]) {
      const next = await loop(db, t, 'full', now);
      expect(next.stale_assets_flagged).toEqual([]);
      expect(next.underperforming_alerts).toEqual([]);
    }
    const [{ n }] = (await db.session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts WHERE tenant_id = $1', [t.tenantId]),
    )) as [{ n: number }];
    expect(n).toBe(3);

    const runs = await loopRuns(db, t);
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run).toMatchObject({
        agent: LOOP_AGENT,
        mode: 'full',
        status: 'completed',
        error: null,
        provider: 'builtin',
      });
      expect(run.input).toEqual({ mode: 'full', cron: false, triggered_by: 'cli' });
      expect(run.duration_ms).toBeGreaterThanOrEqual(0);
      expect(run.completed_at).not.toBeNull();
    }
    expect(runs[0]!.output).toMatchObject({ stale_assets_flagged: [stale.assetId] });
  });

  it('a failure in one campaign fails the run, names the campaign, and the others are processed', async () => {
    const db = testDb();
    const t = await createTenant(db);
    const healthy = await fourVariantCampaign(db, t);
    const broken = await fourVariantCampaign(db, t);
    await whileUpdatesAreRefused(
      db,
      { table: 'content_variants', id: broken.first.variants.D!, message: REFUSAL },
      async () => {
        const report = await loop(db, t, 'full');
        expect(report.status).toBe('failed');
        expect(report.optimize!.failed_campaigns).toEqual([{ campaign_id: broken.campaignId, error: REFUSAL }]);
        expect(report.error).toMatch(`1 of 2 campaigns failed; first: ${broken.campaignId}`);
        expect((await variantRow(db, t, healthy.first.variants.D!)).status).toBe('killed');
        expect((await variantRow(db, t, broken.first.variants.D!)).status).toBe('active');
        // Nothing of the failed campaign was written, not even its delay change.
        expect((await assetRow(db, t, broken.second.assetId)).delay_hours).toBe(120);
        const [run] = await loopRuns(db, t);
        expect(run).toMatchObject({ status: 'failed', error: report.error });
        expect(run!.output).toMatchObject({ optimize: { campaigns_optimized: 1, variants_killed: 1 } });
      },
    );
  });

  it('in batches (each written while the next is planned), a failure stays with its campaign', async () => {
    const db = testDb();
    const t = await createTenant(db);
    const campaigns: Awaited<ReturnType<typeof fourVariantCampaign>>[] = [];
    for (let i = 0; i < 5; i++) campaigns.push(await fourVariantCampaign(db, t));
    const broken = campaigns[2]!;
    await whileUpdatesAreRefused(
      db,
      { table: 'content_variants', id: broken.first.variants.D!, message: REFUSAL },
      async () => {
        const report = await runCmoLoop(db, t.tenantId, {
          mode: 'optimize',
          optimizer,
          triggeredBy: 'cli',
          now: NOW,
          batchSize: 2,
        });
        expect(report.optimize).toMatchObject({
          campaigns_optimized: 4,
          variants_killed: 4,
          failed_campaigns: [{ campaign_id: broken.campaignId, error: REFUSAL }],
        });
        for (const c of campaigns) {
          const expected = c === broken ? { status: 'active', delay: 120 } : { status: 'killed', delay: 48 };
          expect((await variantRow(db, t, c.first.variants.D!)).status).toBe(expected.status);
          expect((await assetRow(db, t, c.second.assetId)).delay_hours).toBe(expected.delay);
        }
      },
    );
  });

  it('reads and writes only its own tenant', async () => {
    const db = testDb();
    const mine = await createTenant(db);
    const other = await createTenant(db);
    const theirs = await fourVariantCampaign(db, other);
    await emailCampaign(db, other, { title: 'Their silent one', sends: 60, replies: 0 });
    const report = await loop(db, mine, 'full');
    expect(report.optimize!.campaigns_optimized).toBe(0);
    expect(report.underperforming_alerts).toEqual([]);
    expect((await variantRow(db, other, theirs.first.variants.D!)).status).toBe('active');
    expect(await loopRuns(db, other)).toEqual([]);
  });

  it('summarize writes the last complete week once, linked to its run', async () => {
    const db = testDb();
    const t = await createTenant(db);
    const monday = new Date('2026-11-23T09:00:00Z');
    const first = await loop(db, t, 'summarize', monday);
    expect(first.summary).toEqual({ week_start: '2026-11-16', week_end: '2026-11-22', created: true });
    const second = await loop(db, t, 'summarize', monday);
    expect(second.summary).toMatchObject({ created: false });
    const rows = await db.session((s) =>
      s.query<{ week_start: string; agent_run_id: string }>(
        "SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start, agent_run_id FROM weekly_summaries WHERE tenant_id = $1",
        [t.tenantId],
      ),
    );
    expect(rows).toEqual([{ week_start: '2026-11-16', agent_run_id: first.run_id }]);
    const runs = await loopRuns(db, t);
    expect(runs.map((r) => [r.mode, r.status, r.provider])).toEqual([
      ['summarize', 'completed', null],
      ['summarize', 'completed', null],
    ]);
  });
});
