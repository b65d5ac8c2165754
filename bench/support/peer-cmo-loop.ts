// The peer for bench:loop: the predecessor's architecture for the CMO daily loop (seed 000: "For
// each campaign ... cmo-optimizer (per campaign)"), with the same optimizer and the same checks so
// that it reaches the same decisions. Per campaign, on one connection, each statement on its own:
//   - one query summing the campaign's raw daily stats (no rollups), one for its assets and variants;
//   - the optimizer's answer, checked with the loop's own checkPlan;
//   - per change: one conditional UPDATE of its target and one INSERT of its ledger row (a
//     suggestion is looked up first, so it is made once); the predecessor also wrote a
//     campaign_optimizations row, which on this schema is a view of the ledger (migration 0021);
//   - one UPDATE of campaigns.last_optimization_at;
//   - stale content: one query for the campaign's stale assets, then per asset one UPDATE and one
//     INSERT of its alert;
//   - underperforming: when the campaign qualifies, one query for an unresolved alert, then the INSERT.
// It runs as the connecting (owner) role, so without the row-level-security checks ours pays.
import type { CampaignOptimizer, OptimizationInput } from '../../src/agents/optimizer.ts';
import { checkPlan } from '../../src/cmo/check-plan.ts';
import { type ContentRow, groupContent, LIVE_STATUSES } from '../../src/cmo/loop-inputs.ts';
import { ACTION_TYPES, changeKey, type PlannedChange } from '../../src/cmo/planned-change.ts';
import { type LoopSettings, loopSettingsSchema } from '../../src/contract/tenant-settings.ts';
import type { Database, SqlSession } from '../../src/db/port.ts';

export type PeerCampaign = OptimizationInput['campaign'] & { workspace_id: string };

export interface PeerContext {
  tenantId: string;
  settings: LoopSettings;
  autonomousEnabled: boolean;
  campaigns: PeerCampaign[];
}

export interface PeerTally {
  campaigns: number;
  statements: number;
  changes_applied: number;
  suggestions_created: number;
  variants_killed: number;
  delays_changed: number;
  copy_rewrites: number;
  changes_skipped: number;
  stale_assets_flagged: number;
  underperforming_alerts: number;
  killed_variant_ids: string[];
}

export const emptyTally = (): PeerTally => ({
  campaigns: 0,
  statements: 0,
  changes_applied: 0,
  suggestions_created: 0,
  variants_killed: 0,
  delays_changed: 0,
  copy_rewrites: 0,
  changes_skipped: 0,
  stale_assets_flagged: 0,
  underperforming_alerts: 0,
  killed_variant_ids: [],
});

/** The tenant's switches and its live campaigns (ordered by id), as the predecessor listed them first. */
export async function loadPeerContext(db: Database, tenantId: string): Promise<PeerContext> {
  return db.session(async (s) => {
    const [tenant] = await s.query<{ autonomous_enabled: boolean; settings: { cmo_loop?: unknown } }>(
      'SELECT autonomous_enabled, settings FROM tenants WHERE id = $1',
      [tenantId],
    );
    if (!tenant) throw new Error(`no tenant ${tenantId}`);
    const campaigns = await s.query<PeerCampaign>(
      `SELECT id, workspace_id, title, goal, status, autopilot_enabled, budget::float8 AS budget,
              max_budget::float8 AS max_budget, currency, channels, cta_text, cta_url
         FROM campaigns WHERE tenant_id = $1 AND status = ANY($2::text[]) ORDER BY id`,
      [tenantId, LIVE_STATUSES],
    );
    return {
      tenantId,
      settings: loopSettingsSchema.parse(tenant.settings.cmo_loop ?? {}),
      autonomousEnabled: tenant.autonomous_enabled,
      campaigns,
    };
  });
}

/** Runs the per-campaign loop over `campaigns` (a slice of the context's), adding to `tally`. */
export async function runPeerCampaigns(
  db: Database,
  context: PeerContext,
  campaigns: readonly PeerCampaign[],
  run: { optimizer: CampaignOptimizer; agentRunId: string; now: Date },
  tally: PeerTally,
): Promise<void> {
  for (const campaign of campaigns) {
    await db.session((raw) => {
      const s: SqlSession = {
        ...raw,
        query: (text, params) => {
          tally.statements++;
          return raw.query(text, params);
        },
      };
      return peerCampaign(s, context, campaign, run, tally);
    });
    tally.campaigns++;
  }
}

interface StatsRow {
  days: number;
  impressions: number;
  sends: number;
  opens: number;
  clicks: number;
  replies: number;
  meetings: number;
  conversions: number;
  spend: number;
  revenue: number;
}

async function peerCampaign(
  s: SqlSession,
  context: PeerContext,
  campaign: PeerCampaign,
  run: { optimizer: CampaignOptimizer; agentRunId: string; now: Date },
  tally: PeerTally,
): Promise<void> {
  const { tenantId, settings } = context;
  const now = run.now.toISOString();
  const [stats] = await s.query<StatsRow>(
    `SELECT count(*)::int AS days, coalesce(sum(impressions), 0)::float8 AS impressions,
            coalesce(sum(sends), 0)::float8 AS sends, coalesce(sum(opens), 0)::float8 AS opens,
            coalesce(sum(clicks), 0)::float8 AS clicks, coalesce(sum(replies), 0)::float8 AS replies,
            coalesce(sum(meetings), 0)::float8 AS meetings, coalesce(sum(conversions), 0)::float8 AS conversions,
            coalesce(sum(spend), 0)::float8 AS spend, coalesce(sum(revenue), 0)::float8 AS revenue
       FROM campaign_channel_stats_daily WHERE tenant_id = $1 AND campaign_id = $2`,
    [tenantId, campaign.id],
  );
  let source: OptimizationInput['metrics']['source'] = 'daily_stats';
  let totals: Omit<StatsRow, 'days'> = stats!;
  if (stats!.days === 0) {
    const [fallback] = await s.query<Omit<StatsRow, 'days'>>(
      `SELECT impressions::float8 AS impressions, sends::float8 AS sends, opens::float8 AS opens,
              clicks::float8 AS clicks, replies::float8 AS replies, meetings::float8 AS meetings,
              conversions::float8 AS conversions, spend::float8 AS spend, revenue::float8 AS revenue
         FROM campaign_metrics WHERE tenant_id = $1 AND campaign_id = $2`,
      [tenantId, campaign.id],
    );
    source = fallback ? 'campaign_metrics' : 'none';
    totals = fallback ?? totals;
  }
  const content = await s.query<ContentRow>(
    `SELECT a.campaign_id, a.id AS asset_id, a.asset_type, a.name, a.channel, a.step_index, a.delay_hours::float8 AS delay_hours,
            v.id AS variant_id, v.variant_label, v.status AS variant_status, v.subject, v.body, v.sms_copy,
            v.voice_script, v.social_post, v.sends::float8 AS sends, v.opens::float8 AS opens,
            v.clicks::float8 AS clicks, v.replies::float8 AS replies, v.meetings::float8 AS meetings,
            v.conversions::float8 AS conversions, v.reply_delays
       FROM content_assets a
       LEFT JOIN content_variants v ON v.tenant_id = a.tenant_id AND v.asset_id = a.id
      WHERE a.tenant_id = $1 AND a.campaign_id = $2 AND a.status = 'active'`,
    [tenantId, campaign.id],
  );
  const { workspace_id: _, ...fields } = campaign;
  const input: OptimizationInput = {
    campaign: fields,
    metrics: { source, ...totals },
    assets: groupContent(content).get(campaign.id) ?? [],
    constraints: { brand_voice: null, tone: [], settings },
  };
  const mode = campaign.autopilot_enabled && context.autonomousEnabled ? 'apply' : 'suggest';
  const { accepted } = checkPlan(input, await run.optimizer.optimize(input), mode);

  for (const change of accepted) {
    if (change.mode === 'suggest') {
      const known = await s.query<{ key: string }>(
        `SELECT jsonb_build_array(campaign_id, optimization_type, target_asset_id, target_variant_id, new_value->'value')::text AS key
           FROM campaign_optimizations
          WHERE tenant_id = $1 AND campaign_id = $2 AND status IN ('suggested', 'dismissed')`,
        [tenantId, campaign.id],
      );
      if (known.some((row) => JSON.stringify(JSON.parse(row.key)) === changeKey(change))) {
        tally.changes_skipped++;
        continue;
      }
      await record(s, tenantId, run.agentRunId, change, now);
      tally.suggestions_created++;
      continue;
    }
    if (!(await applyChange(s, tenantId, change, now))) {
      tally.changes_skipped++;
      continue;
    }
    await record(s, tenantId, run.agentRunId, change, now);
    tally.changes_applied++;
    if (change.type === 'kill_variant') {
      tally.variants_killed++;
      tally.killed_variant_ids.push(change.variantId!);
    } else if (change.type === 'delay') {
      tally.delays_changed++;
    } else {
      tally.copy_rewrites++;
    }
  }
  await s.query('UPDATE campaigns SET last_optimization_at = $3 WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    campaign.id,
    now,
  ]);

  const stale = await s.query<{ id: string; name: string; content_updated_at: Date }>(
    `SELECT id, name, content_updated_at FROM (
       SELECT a.id, a.name, a.stale_flagged_at,
              greatest(a.updated_at, (SELECT max(v.updated_at) FROM content_variants v
                                       WHERE v.tenant_id = a.tenant_id AND v.asset_id = a.id)) AS content_updated_at
         FROM content_assets a
        WHERE a.tenant_id = $1 AND a.campaign_id = $2 AND a.status = 'active') ca
      WHERE content_updated_at < $3::timestamptz - make_interval(days => $4)
        AND (stale_flagged_at IS NULL OR stale_flagged_at < content_updated_at)`,
    [tenantId, campaign.id, now, settings.stale_after_days],
  );
  for (const asset of stale) {
    await s.query('UPDATE content_assets SET stale_flagged_at = $3 WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      asset.id,
      now,
    ]);
    const since = asset.content_updated_at.toISOString();
    await s.query(
      `INSERT INTO alerts (tenant_id, campaign_id, alert_type, severity, message, details, dedupe_key, created_at)
       VALUES ($1, $2, 'stale_content', 'low', $3, $4, $5, $6) ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
      [
        tenantId,
        campaign.id,
        `${campaign.title}: "${asset.name}" has not been updated since ${since.slice(0, 10)}`,
        JSON.stringify({ asset_id: asset.id, content_updated_at: since, stale_after_days: settings.stale_after_days }),
        `stale_content:${asset.id}:${since}`,
        now,
      ],
    );
    tally.stale_assets_flagged++;
  }

  const { sends, replies } = totals;
  if (sends >= settings.underperforming_min_sends && replies / sends < settings.underperforming_reply_rate) {
    const open = await s.query(
      `SELECT 1 FROM alerts WHERE tenant_id = $1 AND alert_type = 'underperforming' AND campaign_id = $2
          AND status <> 'resolved' LIMIT 1`,
      [tenantId, campaign.id],
    );
    if (open.length === 0) {
      const rate = replies / sends;
      const inserted = await s.query(
        `INSERT INTO alerts (tenant_id, campaign_id, alert_type, severity, message, details, dedupe_key, created_at)
         VALUES ($1, $2, 'underperforming', 'medium', $3, $4, $5, $6) ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
         RETURNING id`,
        [
          tenantId,
          campaign.id,
          `${campaign.title}: ${replies} replies from ${sends} sends (${(100 * rate).toFixed(2)}% reply rate, below ${(100 * settings.underperforming_reply_rate).toFixed(2)}%)`,
          JSON.stringify({
            sends,
            replies,
            reply_rate: Number(rate.toFixed(5)),
            threshold: settings.underperforming_reply_rate,
            min_sends: settings.underperforming_min_sends,
          }),
          `underperforming:${campaign.id}:${now.slice(0, 10)}`,
          now,
        ],
      );
      tally.underperforming_alerts += inserted.length;
    }
  }
}

/** The change's one UPDATE, conditional on the target still holding what the optimizer saw. */
async function applyChange(s: SqlSession, tenantId: string, change: PlannedChange, now: string): Promise<boolean> {
  if (change.next.target === 'variant_status') {
    // The last active variant of a step is never killed: another active one must remain.
    const rows = await s.query(
      `UPDATE content_variants v SET status = 'killed', killed_at = $4, kill_reason = $5, updated_at = $4
        WHERE v.tenant_id = $1 AND v.id = $2 AND v.asset_id = $3 AND v.status = 'active'
          AND EXISTS (SELECT 1 FROM content_variants o
                       WHERE o.tenant_id = $1 AND o.asset_id = $3 AND o.id <> $2 AND o.status = 'active')
       RETURNING v.id`,
      [tenantId, change.variantId, change.assetId, now, change.rationale],
    );
    return rows.length > 0;
  }
  if (change.next.target === 'asset_delay') {
    const rows = await s.query(
      `UPDATE content_assets SET delay_hours = $4, updated_at = $5
        WHERE tenant_id = $1 AND id = $2 AND status = 'active' AND delay_hours = $3 RETURNING id`,
      [tenantId, change.assetId, change.previous.value, change.next.value, now],
    );
    return rows.length > 0;
  }
  const field = change.next.field;
  if (!['subject', 'body', 'sms_copy', 'voice_script'].includes(field)) throw new Error(`bad field ${field}`);
  const rows = await s.query(
    `UPDATE content_variants SET "${field}" = $4, updated_at = $5
      WHERE tenant_id = $1 AND id = $2 AND status = 'active' AND "${field}" IS NOT DISTINCT FROM $3 RETURNING id`,
    [tenantId, change.variantId, change.previous.value, change.next.value, now],
  );
  return rows.length > 0;
}

/** The ledger row, linked to the run. */
async function record(s: SqlSession, tenantId: string, agentRunId: string, change: PlannedChange, now: string) {
  const applied = change.mode === 'apply';
  await s.query(
    `INSERT INTO autonomous_actions (tenant_id, campaign_id, agent_run_id, action_type, reason, previous_state,
                                     new_state, confidence_score, expected_impact, status, executed_at, created_at,
                                     updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, round($8::numeric, 5), $9, $10, $11, $12, $12)`,
    [
      tenantId,
      change.campaignId,
      agentRunId,
      ACTION_TYPES[change.type],
      change.rationale,
      JSON.stringify(change.previous),
      JSON.stringify(change.next),
      change.confidence,
      `Expected from ${change.type}`,
      applied ? 'executed' : 'pending',
      applied ? now : null,
      now,
    ],
  );
}
