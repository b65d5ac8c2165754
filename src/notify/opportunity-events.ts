// opportunity.critical (docs/notifications.md): an opportunity the cycle opens as critical, told in
// the cycle's transaction. A refresh of one already open is not opened again, so it tells nothing.
import type { SqlSession } from '../db/port.ts';
import { writeEvents } from './outbox.ts';

/** Of the opportunities just opened (`ids`), the critical ones, each with its campaign and words. */
export function recordCriticalOpportunities(
  s: SqlSession,
  tenantId: string,
  ids: readonly string[],
  at?: Date,
): Promise<number> {
  if (ids.length === 0) return Promise.resolve(0);
  return writeEvents(
    s,
    tenantId,
    at,
    `SELECT 'opportunity.critical' AS type,
            jsonb_build_object('opportunity_id', o.id, 'kind', o.opportunity_type, 'severity', o.severity,
                               'campaign', CASE WHEN c.id IS NOT NULL THEN jsonb_build_object('id', c.id, 'title', c.title) END,
                               'detail', o.description, 'suggested_action', o.suggested_action,
                               'confidence', o.confidence_score) AS data
       FROM optimization_opportunities o
       LEFT JOIN campaigns c ON c.tenant_id = o.tenant_id AND c.id = o.campaign_id
      WHERE o.tenant_id = $1 AND o.id = ANY($3::uuid[]) AND o.severity = 'critical'`,
    [ids],
  );
}
