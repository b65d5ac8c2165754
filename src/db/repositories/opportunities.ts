// Optimization opportunities as the API reads them: newest detection first, filtered, in keyset
// pages on (detected_at, id), with the title of their campaign; or per campaign, the most severe
// and then the most spent on first. Detecting them is the cycle's and
// moving them through statuses the engine's (src/engine/opportunity-status.ts). Every statement
// names its tenant (row-level security checks it again).

import { sql } from 'kysely';
import type { Keyset } from '../../domain/keyset.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

function selectOpportunities(tenantId: string) {
  return typed
    .selectFrom('optimization_opportunities as o')
    .innerJoin('campaigns as c', (join) =>
      join.onRef('c.tenant_id', '=', 'o.tenant_id').onRef('c.id', '=', 'o.campaign_id'),
    )
    .select((eb) => [
      'o.id',
      'o.campaign_id',
      'c.title as campaign_title',
      'o.opportunity_type',
      'o.severity',
      'o.status',
      'o.description',
      'o.suggested_action',
      eb.cast<number | null>('o.confidence_score', 'float8').as('confidence_score'),
      'o.evidence',
      'o.detected_at',
      'o.last_seen_at',
      'o.resolved_at',
      'o.dismissal_note',
      'o.updated_at',
      eb.cast<string>('o.detected_at', 'text').as('sort_key'),
    ])
    .where('o.tenant_id', '=', tenantId);
}

export interface OpportunityFilter {
  status?: string;
  opportunity_type?: string;
  campaign_id?: string;
  severity?: string;
  limit: number;
  cursor?: Keyset;
}

export function listOpportunities(s: SqlSession, tenantId: string, filter: OpportunityFilter) {
  return rows(s, newestFirstPage(filtered(tenantId, filter), { at: 'o.detected_at', id: 'o.id' }, filter));
}

type Conditions = Omit<OpportunityFilter, 'limit' | 'cursor' | 'status'> & { statuses?: readonly string[] };

function filtered(tenantId: string, filter: Conditions & { status?: string }) {
  let query = selectOpportunities(tenantId);
  if (filter.status !== undefined) query = query.where('o.status', '=', filter.status);
  if (filter.statuses !== undefined) query = query.where('o.status', 'in', filter.statuses);
  if (filter.opportunity_type !== undefined) query = query.where('o.opportunity_type', '=', filter.opportunity_type);
  if (filter.campaign_id !== undefined) query = query.where('o.campaign_id', '=', filter.campaign_id);
  if (filter.severity !== undefined) query = query.where('o.severity', '=', filter.severity);
  return query;
}

/** Severity as a rank, most pressing first (OPPORTUNITY_SEVERITIES' order). */
const severityRank = sql<number>`CASE o.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;

/**
 * The campaigns with an opportunity the filter matches, the most severe first and, among equals,
 * the most spent on (lifetime: the money at stake), then by title; the first `limit`, with how
 * many there are in all.
 */
export function listOpportunityCampaigns(s: SqlSession, tenantId: string, filter: Conditions & { limit: number }) {
  const matching = filtered(tenantId, filter)
    .clearSelect()
    .select(['o.campaign_id', 'c.title as campaign_title'])
    .select((eb) => eb.fn.min(severityRank).as('rank'))
    .groupBy(['o.campaign_id', 'c.title']);
  const query = typed
    .selectFrom(matching.as('m'))
    .leftJoin('campaign_rollups as r', (join) =>
      join.on('r.tenant_id', '=', tenantId).onRef('r.campaign_id', '=', 'm.campaign_id'),
    )
    .select((eb) => [
      'm.campaign_id',
      'm.campaign_title',
      'm.rank',
      eb.cast<number>(eb.fn.coalesce('r.spend', sql.lit(0)), 'float8').as('spend'),
      sql<number>`count(*) OVER ()::int`.as('total'),
    ])
    .orderBy('m.rank')
    .orderBy('spend', 'desc')
    .orderBy('m.campaign_title')
    .orderBy('m.campaign_id')
    .limit(filter.limit);
  return rows(s, query);
}

/** The opportunities the filter matches of these campaigns, the most severe and surest first. */
export function listOpportunitiesOf(
  s: SqlSession,
  tenantId: string,
  campaignIds: readonly string[],
  filter: Conditions,
) {
  if (campaignIds.length === 0) return Promise.resolve([]);
  const query = filtered(tenantId, filter)
    .where('o.campaign_id', 'in', campaignIds)
    .orderBy(severityRank)
    .orderBy('o.confidence_score', (ob) => ob.desc().nullsLast())
    .orderBy('o.id');
  return rows(s, query);
}

export async function getOpportunity(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, selectOpportunities(tenantId).where('o.id', '=', id));
  return row;
}
