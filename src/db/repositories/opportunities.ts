// Optimization opportunities as the API reads them: newest detection first, filtered, in keyset
// pages on (detected_at, id), with the title of their campaign. Detecting them is the cycle's and
// moving them through statuses the engine's (src/engine/opportunity-status.ts). Every statement
// names its tenant (row-level security checks it again).

import type { Keyset } from '../../domain/keyset.ts';
import type { SqlSession } from '../port.ts';

const SELECT = `
  SELECT o.id, o.campaign_id, c.title AS campaign_title, o.opportunity_type, o.severity, o.status,
         o.description, o.suggested_action, o.confidence_score::float8 AS confidence_score, o.evidence,
         o.detected_at, o.last_seen_at, o.resolved_at, o.updated_at, o.detected_at::text AS sort_key
    FROM optimization_opportunities o
    JOIN campaigns c ON c.tenant_id = o.tenant_id AND c.id = o.campaign_id`;

export interface OpportunityRow {
  id: string;
  status: string;
  sort_key: string;
  [column: string]: unknown;
}

export interface OpportunityFilter {
  status?: string;
  opportunity_type?: string;
  campaign_id?: string;
  severity?: string;
  limit: number;
  cursor?: Keyset;
}

export async function listOpportunities(
  s: SqlSession,
  tenantId: string,
  filter: OpportunityFilter,
): Promise<OpportunityRow[]> {
  return s.query<OpportunityRow>(
    `${SELECT}
      WHERE o.tenant_id = $1
        AND ($2::text IS NULL OR o.status = $2)
        AND ($3::text IS NULL OR o.opportunity_type = $3)
        AND ($4::uuid IS NULL OR o.campaign_id = $4)
        AND ($5::text IS NULL OR o.severity = $5)
        AND ($6::timestamptz IS NULL OR (o.detected_at, o.id) < ($6::timestamptz, $7::uuid))
      ORDER BY o.detected_at DESC, o.id DESC
      LIMIT $8`,
    [
      tenantId,
      filter.status ?? null,
      filter.opportunity_type ?? null,
      filter.campaign_id ?? null,
      filter.severity ?? null,
      filter.cursor?.after ?? null,
      filter.cursor?.id ?? null,
      filter.limit + 1,
    ],
  );
}

export async function getOpportunity(s: SqlSession, tenantId: string, id: string): Promise<OpportunityRow | undefined> {
  const [row] = await s.query<OpportunityRow>(`${SELECT} WHERE o.tenant_id = $1 AND o.id = $2`, [tenantId, id]);
  return row;
}
