// The dashboard's stat cards in one statement: the ledger of the last `days` days added up in one
// pass, the current backlog (pending suggestions, live opportunities) and the last cycle.
// A set-based read kept as visible SQL per docs/architecture.md.
import type { SqlSession } from '../port.ts';

export interface OverviewRow {
  since: Date;
  total_actions: number;
  campaigns_paused: number;
  campaigns_scaled: number;
  campaigns_posted: number;
  notifications_sent: number;
  rolled_back: number;
  average_confidence: number | null;
  pending_suggestions: number;
  open_opportunities: number;
  opportunities_in_progress: number;
  last_cycle_at: Date | null;
  last_cycle_status: string | null;
}

// "Carried out" is executed_at set: executed by a cycle, approved by a person, or executed and
// rolled back since. A rollback's own ledger row is a person's undo, not an engine action: it is
// counted in rolled_back (on the action it undid), not in total_actions; nor is a change made on
// an ad platform outside Nightshift (external_change), which is nobody's action here.
const OVERVIEW_SQL = `
WITH window_start AS (SELECT now() - $2::int * interval '1 day' AS since)
SELECT w.since, a.total_actions, a.campaigns_paused, a.campaigns_scaled, a.campaigns_posted, a.notifications_sent,
       a.rolled_back, a.average_confidence, p.pending_suggestions, o.open_opportunities, o.opportunities_in_progress,
       y.started_at AS last_cycle_at, y.status AS last_cycle_status
  FROM window_start w
 CROSS JOIN LATERAL (
   SELECT count(*) FILTER (WHERE action_type NOT IN ('rollback', 'external_change')) AS total_actions,
          count(*) FILTER (WHERE action_type = 'auto_pause' AND executed_at IS NOT NULL) AS campaigns_paused,
          count(*) FILTER (WHERE action_type = 'auto_scale_up' AND executed_at IS NOT NULL) AS campaigns_scaled,
          count(*) FILTER (WHERE action_type = 'auto_post' AND executed_at IS NOT NULL) AS campaigns_posted,
          count(*) FILTER (WHERE action_type = 'notify' AND executed_at IS NOT NULL) AS notifications_sent,
          count(*) FILTER (WHERE status = 'rolled_back') AS rolled_back,
          avg(confidence_score) FILTER (WHERE action_type <> 'rollback' AND executed_at IS NOT NULL)::float8
            AS average_confidence
     FROM autonomous_actions WHERE tenant_id = $1 AND created_at >= w.since
 ) a
 CROSS JOIN (
   SELECT count(*) AS pending_suggestions FROM autonomous_actions WHERE tenant_id = $1 AND status = 'pending'
 ) p
 CROSS JOIN (
   SELECT count(*) FILTER (WHERE status = 'open') AS open_opportunities,
          count(*) FILTER (WHERE status = 'in_progress') AS opportunities_in_progress
     FROM optimization_opportunities WHERE tenant_id = $1 AND status IN ('open', 'in_progress')
 ) o
  LEFT JOIN LATERAL (
   SELECT started_at, status FROM autonomous_cycles WHERE tenant_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1
 ) y ON true`;

export async function overview(s: SqlSession, tenantId: string, days: number): Promise<OverviewRow> {
  const [row] = await s.query<OverviewRow>(OVERVIEW_SQL, [tenantId, days]);
  return row!;
}
