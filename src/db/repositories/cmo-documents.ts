// What the CMO agents stored, as the API reads it: plans, funnels and recommendations, newest
// first in keyset pages, and one plan or funnel whole. Writing them is the agents' own
// (src/agents/persist-strategy.ts, persist-content.ts). Every statement names its tenant
// (row-level security checks it again).
import type { Keyset } from '../../domain/keyset.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

interface Paging {
  limit: number;
  cursor?: Keyset | undefined;
}

export interface PlanFilter extends Paging {
  workspace_id?: string | undefined;
}

export interface FunnelFilter extends Paging {
  workspace_id?: string | undefined;
  plan_id?: string | undefined;
}

export interface RecommendationFilter extends Paging {
  workspace_id?: string | undefined;
  agent_run_id?: string | undefined;
}

function planQuery(tenantId: string) {
  return typed
    .selectFrom('cmo_plans')
    .select((eb) => [
      'id',
      'workspace_id',
      'name',
      'primary_goal',
      eb.cast<number | null>('budget', 'float8').as('budget'),
      'currency',
      'start_date',
      'end_date',
      'status',
      'agent_run_id',
      'created_at',
    ])
    .where('tenant_id', '=', tenantId);
}

export function listPlans(s: SqlSession, tenantId: string, filter: PlanFilter) {
  let query = planQuery(tenantId).select((eb) => eb.cast<string>('created_at', 'text').as('sort_key'));
  if (filter.workspace_id !== undefined) query = query.where('workspace_id', '=', filter.workspace_id);
  return rows(s, newestFirstPage(query, { at: 'created_at', id: 'id' }, filter));
}

/** The plan with the agent's whole answer (`plan`), which holds its phases, mix and milestones. */
export async function getPlan(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, planQuery(tenantId).select('plan').where('id', '=', id));
  return row;
}
export type PlanRow = NonNullable<Awaited<ReturnType<typeof getPlan>>>;

function funnelQuery(tenantId: string) {
  return typed
    .selectFrom('cmo_funnels as f')
    .leftJoin('cmo_plans as p', (join) => join.onRef('p.id', '=', 'f.plan_id').on('p.tenant_id', '=', tenantId))
    .select([
      'f.id',
      'f.workspace_id',
      'f.plan_id',
      'p.name as plan_name',
      'f.name',
      'f.funnel_type',
      'f.status',
      'f.agent_run_id',
      'f.created_at',
    ])
    .where('f.tenant_id', '=', tenantId);
}

export function listFunnels(s: SqlSession, tenantId: string, filter: FunnelFilter) {
  let query = funnelQuery(tenantId).select((eb) => eb.cast<string>('f.created_at', 'text').as('sort_key'));
  if (filter.workspace_id !== undefined) query = query.where('f.workspace_id', '=', filter.workspace_id);
  if (filter.plan_id !== undefined) query = query.where('f.plan_id', '=', filter.plan_id);
  return rows(s, newestFirstPage(query, { at: 'f.created_at', id: 'f.id' }, filter));
}

export async function getFunnel(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, funnelQuery(tenantId).select('f.stages').where('f.id', '=', id));
  return row;
}
export type FunnelRow = NonNullable<Awaited<ReturnType<typeof getFunnel>>>;

export function listRecommendations(s: SqlSession, tenantId: string, filter: RecommendationFilter) {
  let query = typed
    .selectFrom('cmo_recommendations as r')
    .leftJoin('campaigns as c', (join) => join.onRef('c.id', '=', 'r.campaign_id').on('c.tenant_id', '=', tenantId))
    .select((eb) => [
      'r.id',
      'r.workspace_id',
      'r.agent_run_id',
      'r.plan_id',
      'r.funnel_id',
      'r.campaign_id',
      'c.title as campaign_title',
      'r.title',
      'r.category',
      'r.priority',
      'r.rationale',
      'r.expected_impact',
      'r.action',
      'r.status',
      'r.created_at',
      eb.cast<string>('r.created_at', 'text').as('sort_key'),
    ])
    .where('r.tenant_id', '=', tenantId);
  if (filter.workspace_id !== undefined) query = query.where('r.workspace_id', '=', filter.workspace_id);
  if (filter.agent_run_id !== undefined) query = query.where('r.agent_run_id', '=', filter.agent_run_id);
  return rows(s, newestFirstPage(query, { at: 'r.created_at', id: 'r.id' }, filter));
}
