// Optimization opportunities as the API reads them: newest detection first, filtered, in keyset
// pages on (detected_at, id), with the title of their campaign. Detecting them is the cycle's and
// moving them through statuses the engine's (src/engine/opportunity-status.ts). Every statement
// names its tenant (row-level security checks it again).

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
  let query = selectOpportunities(tenantId);
  if (filter.status !== undefined) query = query.where('o.status', '=', filter.status);
  if (filter.opportunity_type !== undefined) query = query.where('o.opportunity_type', '=', filter.opportunity_type);
  if (filter.campaign_id !== undefined) query = query.where('o.campaign_id', '=', filter.campaign_id);
  if (filter.severity !== undefined) query = query.where('o.severity', '=', filter.severity);
  return rows(s, newestFirstPage(query, { at: 'o.detected_at', id: 'o.id' }, filter));
}

export async function getOpportunity(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, selectOpportunities(tenantId).where('o.id', '=', id));
  return row;
}
