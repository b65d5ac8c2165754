// What an agent knows about the workspace it works for: the brand, its ICP segments and offers,
// and for the later agents the plan, funnel, campaign and performance already stored. Every query
// names the tenant and the workspace (and runs under row-level security besides). A plan, funnel
// or campaign id that is not in this workspace is the caller's mistake: a NotInWorkspaceError
// naming the field (the API answers it with a 422).
import type { SqlSession } from '../db/port.ts';
import { InvalidInputError } from '../domain/errors.ts';

export interface BrandContext {
  brand_name: string;
  industry: string | null;
  website: string | null;
  mission: string | null;
  brand_voice: string | null;
  tone: string[];
  data: Record<string, unknown>;
}

export interface SegmentContext {
  id: string;
  name: string;
  description: string | null;
  pains: string[];
  goals: string[];
  objections: string[];
  channels: string[];
}

export interface OfferContext {
  id: string;
  name: string;
  description: string | null;
  offer_type: string | null;
  price: number | null;
  currency: string;
  cta: string | null;
}

export interface PlanContext {
  id: string;
  name: string;
  primary_goal: string;
  budget: number | null;
  currency: string;
  start_date: string | null;
  end_date: string | null;
  plan: Record<string, unknown>;
}

export interface FunnelContext {
  id: string;
  plan_id: string | null;
  name: string;
  funnel_type: string | null;
  stages: unknown[];
}

export interface CampaignContext {
  id: string;
  title: string;
  description: string | null;
  goal: 'leads' | 'meetings' | 'revenue';
  status: string;
  channels: string[];
  budget: number;
  currency: string;
  cta_text: string | null;
  cta_url: string | null;
  /** The steps it already has, so new content continues the sequence. */
  assets: { asset_type: string; name: string; channel: string | null; step_index: number }[];
}

export interface CampaignPerformance {
  id: string;
  title: string;
  status: string;
  goal: string;
  budget: number;
  spend: number;
  revenue: number;
  impressions: number;
  clicks: number;
  conversions: number;
  sends: number;
  replies: number;
  meetings: number;
}

export interface WorkspaceContext {
  tenant: { id: string; name: string; currency: string };
  workspace: { id: string; name: string };
  brand: BrandContext | null;
  segments: SegmentContext[];
  offers: OfferContext[];
  plan: PlanContext | null;
  funnel: FunnelContext | null;
  campaign: CampaignContext | null;
  /** Totals per campaign of the workspace over the period, from the daily channel stats. */
  performance: { start: string; end: string; campaigns: CampaignPerformance[] } | null;
}

/** What an agent asks for beyond the brand, segments and offers every agent gets. */
export interface ContextNeeds {
  /** A plan by id (the field that named it, for the error), or the workspace's newest one. */
  plan?: { id?: string; field: string } | 'latest';
  funnel?: { id?: string; field: string } | 'latest';
  campaign?: { id: string; field: string };
  performanceDays?: number;
}

/** The workspace, if it belongs to the tenant; the agents' access check (403 otherwise). */
export async function findWorkspace(
  s: SqlSession,
  tenantId: string,
  workspaceId: string,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await s.query<{ id: string; name: string }>(
    'SELECT id, name FROM workspaces WHERE tenant_id = $1 AND id = $2',
    [tenantId, workspaceId],
  );
  return row;
}

/** The input names a plan, funnel or campaign that is not in the workspace. */
export class NotInWorkspaceError extends InvalidInputError {
  override name = 'NotInWorkspaceError';
  constructor(field: string, what: string) {
    const problem = `no such ${what} in this workspace`;
    super([{ field, in: 'body', message: problem }], `${field}: ${problem}`);
  }
}

export async function loadWorkspaceContext(
  s: SqlSession,
  tenantId: string,
  workspace: { id: string; name: string },
  needs: ContextNeeds,
): Promise<WorkspaceContext> {
  const scope = [tenantId, workspace.id];
  const [tenant] = await s.query<WorkspaceContext['tenant']>('SELECT id, name, currency FROM tenants WHERE id = $1', [
    tenantId,
  ]);
  const [brand] = await s.query<BrandContext>(
    `SELECT brand_name, industry, website, mission, brand_voice, tone, data
       FROM cmo_brand_profiles WHERE tenant_id = $1 AND workspace_id = $2`,
    scope,
  );
  const segments = await s.query<SegmentContext>(
    `SELECT id, name, description, pains, goals, objections, channels
       FROM cmo_icp_segments WHERE tenant_id = $1 AND workspace_id = $2 ORDER BY created_at, name`,
    scope,
  );
  const offers = await s.query<OfferContext>(
    `SELECT id, name, description, offer_type, price::float8 AS price, currency, cta
       FROM cmo_offers WHERE tenant_id = $1 AND workspace_id = $2 ORDER BY created_at, name`,
    scope,
  );
  return {
    tenant: tenant!,
    workspace,
    brand: brand ?? null,
    segments,
    offers,
    plan: needs.plan ? await loadNewestOrNamed<PlanContext>(s, scope, needs.plan, PLAN_SOURCE) : null,
    funnel: needs.funnel ? await loadNewestOrNamed<FunnelContext>(s, scope, needs.funnel, FUNNEL_SOURCE) : null,
    campaign: needs.campaign ? await loadCampaign(s, scope, needs.campaign) : null,
    performance: needs.performanceDays ? await loadPerformance(s, scope, needs.performanceDays) : null,
  };
}

/** The plan or funnel named by id (a 422 if it is not in the workspace), or the workspace's newest. */
async function loadNewestOrNamed<Row>(
  s: SqlSession,
  scope: string[],
  want: NonNullable<ContextNeeds['plan']>,
  what: { table: 'cmo_plans' | 'cmo_funnels'; noun: string; columns: string },
): Promise<Row | null> {
  const byId = want !== 'latest' && want.id !== undefined;
  const rows = await s.query<Row>(
    `SELECT ${what.columns}
       FROM ${what.table}
      WHERE tenant_id = $1 AND workspace_id = $2 AND status <> 'archived' AND ($3::uuid IS NULL OR id = $3)
      ORDER BY created_at DESC, id LIMIT 1`,
    [...scope, byId ? want.id : null],
  );
  if (byId && rows.length === 0) throw new NotInWorkspaceError(want.field, what.noun);
  return rows[0] ?? null;
}

const PLAN_SOURCE = {
  table: 'cmo_plans',
  noun: 'plan',
  columns: `id, name, primary_goal, budget::float8 AS budget, currency, start_date::text AS start_date,
            end_date::text AS end_date, plan`,
} as const;
const FUNNEL_SOURCE = {
  table: 'cmo_funnels',
  noun: 'funnel',
  columns: 'id, plan_id, name, funnel_type, stages',
} as const;

async function loadCampaign(s: SqlSession, scope: string[], want: NonNullable<ContextNeeds['campaign']>) {
  const [campaign] = await s.query<Omit<CampaignContext, 'assets'>>(
    `SELECT id, title, description, goal, status, channels, budget::float8 AS budget, currency, cta_text, cta_url
       FROM campaigns WHERE tenant_id = $1 AND workspace_id = $2 AND id = $3`,
    [...scope, want.id],
  );
  if (!campaign) throw new NotInWorkspaceError(want.field, 'campaign');
  const assets = await s.query<CampaignContext['assets'][number]>(
    `SELECT asset_type, name, channel, step_index
       FROM content_assets
      WHERE tenant_id = $1 AND workspace_id = $2 AND campaign_id = $3 AND status = 'active'
      ORDER BY step_index, created_at`,
    [...scope, want.id],
  );
  return { ...campaign, assets };
}

async function loadPerformance(s: SqlSession, scope: string[], days: number) {
  const [period] = await s.query<{ start: string; end: string }>(
    `SELECT (current_date - $1::int)::text AS start, (current_date - 1)::text AS "end"`,
    [days],
  );
  const campaigns = await s.query<CampaignPerformance>(
    `SELECT c.id, c.title, c.status, c.goal, c.budget::float8 AS budget,
            coalesce(sum(d.spend), 0)::float8 AS spend, coalesce(sum(d.revenue), 0)::float8 AS revenue,
            coalesce(sum(d.impressions), 0)::float8 AS impressions, coalesce(sum(d.clicks), 0)::float8 AS clicks,
            coalesce(sum(d.conversions), 0)::float8 AS conversions, coalesce(sum(d.sends), 0)::float8 AS sends,
            coalesce(sum(d.replies), 0)::float8 AS replies, coalesce(sum(d.meetings), 0)::float8 AS meetings
       FROM campaigns c
       LEFT JOIN campaign_channel_stats_daily d
         ON d.tenant_id = c.tenant_id AND d.campaign_id = c.id AND d.stat_date BETWEEN $3::date AND $4::date
      WHERE c.tenant_id = $1 AND c.workspace_id = $2 AND c.status NOT IN ('archived', 'draft')
      GROUP BY c.tenant_id, c.id
      ORDER BY coalesce(sum(d.spend), 0) DESC, c.id
      LIMIT 200`,
    [...scope, period!.start, period!.end],
  );
  return { start: period!.start, end: period!.end, campaigns };
}
