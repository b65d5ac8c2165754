// The campaigns auto-revive judges (src/domain/revival.ts): paused by the engine, and by nobody
// else. A campaign qualifies when the engine's last change to it is an executed auto_pause (not
// rolled back), it is still paused, nobody has changed it since (its updated_at is the pause's),
// and no auto_resume answered that pause yet (executed, pending, dismissed or rolled back: a person
// who rolled a revival back, or dismissed one, is not asked again for the same pause). A person's
// pause (manual_pause) is the last change then, so it is never revived. Reads cycle_evidence: call after
// preparePortfolioModel, in the same transaction.
import type { SqlSession } from '../db/port.ts';
import type { Candidate } from '../domain/candidate.ts';
import type { EnginePaused } from '../domain/revival.ts';
import { CAMPAIGN_CHANGES } from './campaign-changes.ts';

const ENGINE_PAUSED_SQL = `
SELECT c.id AS "campaignId", c.title, c.budget::float8 AS budget, c.max_budget::float8 AS "maxBudget",
       c.autopilot_enabled AS autopilot, a.id AS "pauseId", a.executed_at AS "pausedAt",
       r.id AS "ruleId", r.rule_name AS "ruleName", r.priority, r.action,
       coalesce(ru.spend, 0)::float8 AS spend, coalesce(ru.revenue, 0)::float8 AS revenue,
       coalesce(ru.conversions, 0)::float8 AS conversions, e.channel, e.exposure,
       e.conversions AS "evidenceConversions", e.revenue AS "evidenceRevenue", e.daily_spend AS "dailySpend"
  FROM campaigns c
 CROSS JOIN LATERAL (
   SELECT a.id, a.action_type, a.status, a.rule_id, a.executed_at FROM autonomous_actions a
    WHERE a.tenant_id = c.tenant_id AND a.campaign_id = c.id AND a.action_type = ANY ($2::text[])
      AND a.executed_at IS NOT NULL
    ORDER BY a.executed_at DESC LIMIT 1
 ) a
  JOIN autonomous_rules r ON r.tenant_id = c.tenant_id AND r.id = a.rule_id
  JOIN cycle_evidence e ON e.campaign_id = c.id
  LEFT JOIN campaign_rollups ru ON ru.tenant_id = c.tenant_id AND ru.campaign_id = c.id
 WHERE c.tenant_id = $1 AND c.status = 'paused'
   AND a.action_type = 'auto_pause' AND a.status = 'executed' AND c.updated_at <= a.executed_at
   AND NOT EXISTS (SELECT 1 FROM autonomous_actions x
                    WHERE x.tenant_id = c.tenant_id AND x.campaign_id = c.id AND x.reverses_action_id = a.id)
 ORDER BY c.id`;

// The campaign's own columns; the rest of a Candidate is what a pause rule's match would carry.
type Computed = 'evidence' | 'ruleType' | 'roi' | 'hoursRunning' | 'condition' | 'windows' | 'pendingSuggestionId';
type Cooldowns =
  | 'lastBudgetChangeAt'
  | 'lastPostedAt'
  | 'lastNotifiedAt'
  | 'lastRolledBackAt'
  | 'lastChangedOutsideAt'
  | 'lastChangedByHandAt';
interface Row extends Omit<Candidate, Computed | Cooldowns> {
  pauseId: string;
  pausedAt: Date;
  exposure: number;
  evidenceConversions: number;
  evidenceRevenue: number;
}

export async function findEnginePaused(s: SqlSession, tenantId: string): Promise<EnginePaused[]> {
  const rows = await s.query<Row>(ENGINE_PAUSED_SQL, [tenantId, CAMPAIGN_CHANGES]);
  return rows.map(({ pauseId, pausedAt, exposure, evidenceConversions, evidenceRevenue, ...row }) => ({
    pauseId,
    pausedAt: new Date(pausedAt),
    candidate: {
      ...row,
      ruleType: 'pause',
      roi: row.spend > 0 ? row.revenue / row.spend : null,
      hoursRunning: 0,
      evidence: { exposure, conversions: evidenceConversions, revenue: evidenceRevenue },
      lastBudgetChangeAt: null,
      lastPostedAt: null,
      lastNotifiedAt: null,
      lastRolledBackAt: null,
      // The engine's pause is the campaign's last change (ENGINE_PAUSED_SQL): nothing since.
      lastChangedOutsideAt: null,
      lastChangedByHandAt: null,
      condition: null,
      windows: null,
      // A paused campaign has no pending suggestion of the rules', which judge active ones only.
      pendingSuggestionId: null,
    },
  }));
}
