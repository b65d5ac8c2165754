// What the CMO loop reads for one tenant, in four statements whatever the number of campaigns:
// the live campaigns with their metrics, their active assets and variants, the brand profiles,
// and the tenant's switches. The big reads run at once on separate connections: the server works
// on one while this thread turns the other's rows into objects. Metrics come from
// campaign_rollups, the daily channel stats summed incrementally as they arrive (migration 0007),
// so reading them costs one row per campaign, not one per campaign, channel and day; a campaign
// with no daily stats falls back to its campaign_metrics totals, as the seed's loop did.
import type { AssetInput, AssetType, CampaignMetrics, OptimizationInput, VariantInput } from '../agents/optimizer.ts';
import { type LoopSettings, loopSettingsSchema } from '../contract/tenant-settings.ts';
import type { Database, SqlSession } from '../db/port.ts';
import { FUNNEL_COUNTERS, type FunnelCounter, REPORTED_METRICS } from '../domain/metrics.ts';

/** The campaigns the loop looks after: running ones. Drafts, finished and paused ones are left alone. */
export const LIVE_STATUSES = ['active', 'sending'] as const;

export interface LoopInputs {
  settings: LoopSettings;
  /** The tenant's autonomy switch: off, every change is a suggestion. */
  autonomousEnabled: boolean;
  campaigns: OptimizationInput[];
  /**
   * Per active asset read: when its content last changed, the later of the asset's and its
   * variants' updated_at (ISO UTC, comparable as text). Stale-content detection starts from it.
   */
  contentUpdatedAt: Map<string, string>;
}

/** A campaign with its metrics, as the campaigns query returns it: the optimizer's two parts side by side. */
type CampaignRow = OptimizationInput['campaign'] & CampaignMetrics & { workspace_id: string };

/** One variant of an asset (or an asset without variants) as the content query returns it. */
export interface ContentRow extends Record<FunnelCounter, number> {
  campaign_id: string;
  asset_id: string;
  asset_type: AssetType;
  name: string;
  channel: string | null;
  step_index: number;
  delay_hours: number;
  variant_id: string | null;
  variant_label: string;
  variant_status: VariantInput['status'];
  subject: string | null;
  body: string | null;
  sms_copy: string | null;
  voice_script: string | null;
  social_post: string | null;
  reply_delays: Record<string, number>;
  /** The variant's; null for an asset without variants. */
  updated_at: string | null;
  asset_updated_at: string;
}

/** Seconds are enough for ages in days, and the text compares in time order. */
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

export async function loadLoopInputs(db: Database, tenantId: string): Promise<LoopInputs> {
  const [{ tenant, brands }, campaigns, content] = await Promise.all([
    db.transaction(async (s) => ({ tenant: await readTenant(s, tenantId), brands: await readBrands(s, tenantId) })),
    db.transaction((s) => readCampaigns(s, tenantId)),
    db.transaction((s) => readContent(s, tenantId)),
  ]);
  const settings = loopSettingsSchema.parse(tenant.settings.cmo_loop ?? {});
  const brandOf = new Map(brands.map((b) => [b.workspace_id, b]));
  const assetsOf = groupContent(content);
  return {
    settings,
    autonomousEnabled: tenant.autonomous_enabled,
    contentUpdatedAt: contentUpdatedAt(content),
    campaigns: campaigns.map((c) => {
      const {
        workspace_id,
        source,
        impressions,
        sends,
        opens,
        clicks,
        replies,
        meetings,
        conversions,
        spend,
        revenue,
        ...campaign
      } = c;
      const brand = brandOf.get(workspace_id);
      return {
        campaign,
        metrics: { source, impressions, sends, opens, clicks, replies, meetings, conversions, spend, revenue },
        assets: assetsOf.get(c.id) ?? [],
        constraints: { brand_voice: brand?.brand_voice ?? null, tone: brand?.tone ?? [], settings },
      };
    }),
  };
}

async function readTenant(s: SqlSession, tenantId: string) {
  const [tenant] = await s.query<{ autonomous_enabled: boolean; settings: { cmo_loop?: unknown } }>(
    'SELECT autonomous_enabled, settings FROM tenants WHERE id = $1',
    [tenantId],
  );
  if (!tenant) throw new Error(`no tenant ${tenantId}`);
  return tenant;
}

function readCampaigns(s: SqlSession, tenantId: string) {
  return s.query<CampaignRow>(
    `SELECT c.id, c.workspace_id, c.title, c.goal, c.status, c.autopilot_enabled, c.budget::float8 AS budget,
            c.max_budget::float8 AS max_budget, c.currency, c.channels, c.cta_text, c.cta_url,
            CASE WHEN r.campaign_id IS NOT NULL THEN 'daily_stats'
                 WHEN m.campaign_id IS NOT NULL THEN 'campaign_metrics' ELSE 'none' END AS source,
            ${REPORTED_METRICS.map((metric) => `coalesce(r.${metric}, m.${metric}, 0)::float8 AS ${metric}`).join(', ')}
       FROM campaigns c
       LEFT JOIN campaign_rollups r ON r.tenant_id = c.tenant_id AND r.campaign_id = c.id
       LEFT JOIN campaign_metrics m ON m.tenant_id = c.tenant_id AND m.campaign_id = c.id
      WHERE c.tenant_id = $1 AND c.status = ANY($2::text[])
      ORDER BY c.id`,
    [tenantId, LIVE_STATUSES],
  );
}

function readContent(s: SqlSession, tenantId: string) {
  return s.query<ContentRow>(
    `SELECT a.campaign_id, a.id AS asset_id, a.asset_type, a.name, a.channel, a.step_index,
            a.delay_hours::float8 AS delay_hours, v.id AS variant_id, v.variant_label, v.status AS variant_status,
            v.subject, v.body, v.sms_copy, v.voice_script, v.social_post,
            ${FUNNEL_COUNTERS.map((counter) => `v.${counter}::float8 AS ${counter}`).join(', ')},
            v.reply_delays, to_char(v.updated_at AT TIME ZONE 'UTC', ${ISO}) AS updated_at,
            to_char(a.updated_at AT TIME ZONE 'UTC', ${ISO}) AS asset_updated_at
       FROM content_assets a
       JOIN campaigns c ON c.tenant_id = a.tenant_id AND c.id = a.campaign_id
       LEFT JOIN content_variants v ON v.tenant_id = a.tenant_id AND v.asset_id = a.id
      WHERE a.tenant_id = $1 AND a.status = 'active' AND c.status = ANY($2::text[])`,
    [tenantId, LIVE_STATUSES],
  );
}

function readBrands(s: SqlSession, tenantId: string) {
  return s.query<{ workspace_id: string; brand_voice: string | null; tone: string[] }>(
    'SELECT workspace_id, brand_voice, tone FROM cmo_brand_profiles WHERE tenant_id = $1',
    [tenantId],
  );
}

function contentUpdatedAt(rows: readonly ContentRow[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const row of rows) {
    const known = latest.get(row.asset_id) ?? row.asset_updated_at;
    latest.set(row.asset_id, row.updated_at !== null && row.updated_at > known ? row.updated_at : known);
  }
  return latest;
}

/**
 * Folds content rows, in any order, into each campaign's assets (by step, then id) with their
 * variants (by label). Unordered on purpose: an ORDER BY over a tenant's whole content made the
 * server sort it all before sending the first row, where unsorted rows stream while they are read.
 */
export function groupContent(rows: readonly ContentRow[]): Map<string, AssetInput[]> {
  const assets = new Map<string, AssetInput & { campaign_id: string }>();
  for (const row of rows) {
    let asset = assets.get(row.asset_id);
    if (!asset) {
      asset = {
        campaign_id: row.campaign_id,
        id: row.asset_id,
        asset_type: row.asset_type,
        name: row.name,
        channel: row.channel,
        step_index: row.step_index,
        delay_hours: row.delay_hours,
        variants: [],
      };
      assets.set(row.asset_id, asset);
    }
    if (row.variant_id === null) continue;
    asset.variants.push({
      id: row.variant_id,
      label: row.variant_label,
      status: row.variant_status,
      subject: row.subject,
      body: row.body,
      sms_copy: row.sms_copy,
      voice_script: row.voice_script,
      social_post: row.social_post,
      sends: row.sends,
      opens: row.opens,
      clicks: row.clicks,
      replies: row.replies,
      meetings: row.meetings,
      conversions: row.conversions,
      reply_delays: row.reply_delays,
      // A row with a variant has its updated_at.
      updated_at: row.updated_at!,
    });
  }
  const byCampaign = new Map<string, AssetInput[]>();
  for (const { campaign_id, ...asset } of assets.values()) {
    if (asset.variants.length > 1) asset.variants.sort((a, b) => compare(a.label, b.label));
    const list = byCampaign.get(campaign_id);
    if (list) list.push(asset);
    else byCampaign.set(campaign_id, [asset]);
  }
  for (const list of byCampaign.values()) {
    if (list.length > 1) list.sort((a, b) => a.step_index - b.step_index || compare(a.id, b.id));
  }
  return byCampaign;
}

/** Code-point order (lowercase uuids sort as Postgres sorts the uuid values). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
