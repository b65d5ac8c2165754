// The loop's checks hold whatever an optimizer answers: a scripted optimizer (the port the gateway
// agents implement) asks for more than it may, and only what the checks allow is written.
import { describe, expect, it } from 'vitest';
import type { CampaignOptimizer, OptimizationInput } from '../src/agents/optimizer.ts';
import { runCmoLoop } from '../src/cmo/loop.ts';
import type { Database } from '../src/db/port.ts';
import { rollbackAction } from '../src/ledger/rollback.ts';
import { addStep, assetRow, emailCampaign, variantRow } from './support/cmo-world.ts';
import { actionsOf, createTenant, NOW, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

/** Answers each campaign with what `plan` makes of its input. */
function scripted(plan: (input: OptimizationInput) => unknown): CampaignOptimizer {
  return { provider: 'scripted', model: 'test', optimize: async (input) => plan(input) };
}

const run = (db: Database, t: TestTenant, optimizer: CampaignOptimizer) =>
  runCmoLoop(db, t.tenantId, { mode: 'optimize', optimizer, triggeredBy: 'api', now: NOW });

describe('the CMO loop checks every optimizer answer', () => {
  const testDb = useTestDb();

  async function world(db: Database) {
    const t = await createTenant(db);
    const campaignId = await emailCampaign(db, t, { title: 'Guarded', sends: 100, replies: 5 });
    const email = await addStep(db, t, campaignId, { step: 0, variants: [{ label: 'A' }, { label: 'B' }] });
    const call = await addStep(db, t, campaignId, {
      type: 'voice',
      step: 1,
      delayHours: 72,
      variants: [{ label: 'A', voiceScript: 'Hi, this is Sam from Acme.' }],
    });
    return { t, campaignId, email, call };
  }

  it('applies a voice script rewrite and rolls it back', async () => {
    const db = testDb();
    const { t, call } = await world(db);
    const script = 'Hi, Sam from Acme here. Do you have two minutes?';
    const report = await run(
      db,
      t,
      scripted(() => ({
        changes: [
          { type: 'voice_script', variant_id: call.variants.A, value: script, rationale: 'Ask for time first' },
        ],
      })),
    );
    expect(report.optimize).toMatchObject({ changes_applied: 1, changes_rejected: 0 });
    const [voice] = await db.session((s) =>
      s.query<{ voice_script: string }>('SELECT voice_script FROM content_variants WHERE id = $1', [call.variants.A]),
    );
    expect(voice!.voice_script).toBe(script);
    const [action] = await actionsOf(db, t);
    expect(action).toMatchObject({
      action_type: 'rewrite_voice_script',
      status: 'executed',
      reason: 'Ask for time first',
    });
    await rollbackAction(db, t.tenantId, action!.id);
    const [restored] = await db.session((s) =>
      s.query<{ voice_script: string }>('SELECT voice_script FROM content_variants WHERE id = $1', [call.variants.A]),
    );
    expect(restored!.voice_script).toBe('Hi, this is Sam from Acme.');
  });

  it('never kills the last active variant, refuses foreign targets and misfit kinds, clamps delays', async () => {
    const db = testDb();
    const { t, email, call } = await world(db);
    const stranger = await world(db);
    const report = await run(
      db,
      t,
      scripted(() => ({
        changes: [
          { type: 'kill_variant', variant_id: email.variants.A, rationale: 'kill all' },
          { type: 'kill_variant', variant_id: email.variants.B, rationale: 'kill all' },
          { type: 'kill_variant', variant_id: call.variants.A, rationale: 'the only one' },
          { type: 'kill_variant', variant_id: stranger.email.variants.A, rationale: 'another tenant' },
          { type: 'sms_copy', variant_id: email.variants.B, value: 'Text me', rationale: 'not an sms step' },
          { type: 'delay', asset_id: call.assetId, delay_hours: 5000, rationale: 'wait a long time' },
        ],
      })),
    );
    expect(report.optimize).toMatchObject({ changes_applied: 2, variants_killed: 1, changes_rejected: 4 });
    expect(report.optimize!.rejections.map((r) => r.reason)).toEqual([
      'the last active variant of its step is never killed',
      'the last active variant of its step is never killed',
      'not an active variant of this campaign',
      'a sms_copy change does not apply to a email asset',
    ]);
    expect((await variantRow(db, t, email.variants.A!)).status).toBe('killed');
    expect((await variantRow(db, t, email.variants.B!)).status).toBe('active');
    expect((await variantRow(db, t, call.variants.A!)).status).toBe('active');
    expect((await variantRow(db, stranger.t, stranger.email.variants.A!)).status).toBe('active');
    // The default range is 24–168 h.
    expect((await assetRow(db, t, call.assetId)).delay_hours).toBe(168);
  });

  it('an answer that is not a plan fails its campaign only', async () => {
    const db = testDb();
    const { t, campaignId } = await world(db);
    const second = await emailCampaign(db, t, { title: 'Fine', sends: 10, replies: 1 });
    const report = await run(
      db,
      t,
      scripted((input) =>
        input.campaign.id === campaignId ? { changes: [{ type: 'rename_campaign' }] } : { changes: [] },
      ),
    );
    expect(report.status).toBe('failed');
    expect(report.optimize!.failed_campaigns).toEqual([
      { campaign_id: campaignId, error: expect.stringContaining("the optimizer's answer is not a valid plan") },
    ]);
    expect(report.optimize!.campaigns_optimized).toBe(1);
    const [row] = await db.session((s) =>
      s.query<{ last_optimization_at: Date | null }>('SELECT last_optimization_at FROM campaigns WHERE id = $1', [
        second,
      ]),
    );
    expect(row!.last_optimization_at).not.toBeNull();
  });

  it('gives the optimizer the campaign’s goal, metrics, content and brand voice', async () => {
    const db = testDb();
    const { t, campaignId } = await world(db);
    await db.session((s) =>
      s.query(
        `INSERT INTO cmo_brand_profiles (tenant_id, workspace_id, brand_name, brand_voice, tone)
         VALUES ($1, $2, 'Acme', 'Plain and warm', '{friendly,direct}')`,
        [t.tenantId, t.workspaceId],
      ),
    );
    const seen: OptimizationInput[] = [];
    await run(
      db,
      t,
      scripted((input) => {
        seen.push(input);
        return { changes: [] };
      }),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      campaign: { id: campaignId, goal: 'leads', autopilot_enabled: true, budget: 100 },
      metrics: { source: 'daily_stats', sends: 100, replies: 5 },
      constraints: { brand_voice: 'Plain and warm', tone: ['friendly', 'direct'] },
    });
    expect(seen[0]!.assets.map((a) => [a.asset_type, a.step_index, a.variants.length])).toEqual([
      ['email', 0, 2],
      ['voice', 1, 1],
    ]);
  });
});
