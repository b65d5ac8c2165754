// Which campaigns of a tenant each active rule matches: one set-based statement over the
// performance rows prepared for this cycle (src/engine/performance.ts).
//
// Every active campaign is unpivoted into one row per window (lifetime, 24h, 48h, 7d, prev_7d),
// joined to the terms of the tenant's active rules (read from autonomous_rules as JSON), and each
// term is evaluated by fixed CASE expressions: metrics, windows and operators outside the
// whitelist evaluate to NULL, i.e. "no match". Every match comes back, highest priority first:
// the guardrails pick, per campaign, the first one they allow. Thresholds and gates are data
// read by SQL, never spliced into SQL text.
import type { SqlSession } from '../db/port.ts';
import type { Candidate } from '../domain/candidate.ts';
import type { WindowedTotals, WindowTotals } from '../domain/condition-confidence.ts';
import { conditionSchema } from '../domain/rules.ts';

const CANDIDATES_SQL = `
WITH perf AS (SELECT * FROM cycle_perf),
windows AS (
  SELECT p.campaign_id, w.*
    FROM perf p
   CROSS JOIN LATERAL (VALUES
     ('lifetime', p.total_spend, p.total_revenue, p.impressions, p.clicks, p.conversions, p.sends, p.replies, p.meetings),
     ('24h', p.spend_d1, p.revenue_d1, p.impressions_d1, p.clicks_d1, p.conversions_d1, p.sends_d1, p.replies_d1, p.meetings_d1),
     ('48h', p.spend_d2, p.revenue_d2, p.impressions_d2, p.clicks_d2, p.conversions_d2, p.sends_d2, p.replies_d2, p.meetings_d2),
     ('7d', p.spend_d7, p.revenue_d7, p.impressions_d7, p.clicks_d7, p.conversions_d7, p.sends_d7, p.replies_d7, p.meetings_d7),
     ('prev_7d', p.spend_p7, p.revenue_p7, p.impressions_p7, p.clicks_p7, p.conversions_p7, p.sends_p7, p.replies_p7, p.meetings_p7)
   ) AS w (time_window, spend, revenue, impressions, clicks, conversions, sends, replies, meetings)
),
rules AS (
  SELECT r.id, r.rule_name, r.rule_type, r.priority, r.action, r.condition,
         coalesce(r.condition->>'match', 'all') AS match,
         coalesce((r.condition->>'min_spend')::numeric, 0) AS min_spend,
         coalesce((r.condition->>'min_conversions')::numeric, 0) AS min_conversions,
         coalesce((r.condition->>'min_hours_running')::numeric, 0) AS min_hours_running,
         -- The seeds' flat form is one term.
         CASE WHEN r.condition ? 'terms' THEN r.condition->'terms' ELSE jsonb_build_array(r.condition) END AS terms
    FROM autonomous_rules r
   WHERE r.tenant_id = $1 AND r.is_active
),
terms AS (
  SELECT r.id AS rule_id, t.metric, coalesce(t."window", 'lifetime') AS time_window, t.operator, t.threshold
    FROM rules r CROSS JOIN LATERAL jsonb_to_recordset(r.terms) AS t(metric text, "window" text, operator text, threshold numeric)
),
evaluated AS (
  SELECT w.campaign_id, t.rule_id,
         coalesce(CASE t.operator
           WHEN '<' THEN v.value < t.threshold WHEN '<=' THEN v.value <= t.threshold
           WHEN '>' THEN v.value > t.threshold WHEN '>=' THEN v.value >= t.threshold
           WHEN '=' THEN v.value = t.threshold WHEN '!=' THEN v.value <> t.threshold
         END, false) AS holds
    FROM windows w
    JOIN terms t ON t.time_window = w.time_window
   CROSS JOIN LATERAL (SELECT CASE t.metric
           WHEN 'roi' THEN w.revenue / nullif(w.spend, 0)
           WHEN 'ctr' THEN w.clicks::numeric / nullif(w.impressions, 0)
           WHEN 'conversion_rate' THEN w.conversions::numeric / nullif(w.clicks, 0)
           WHEN 'reply_rate' THEN w.replies::numeric / nullif(w.sends, 0)
           WHEN 'cpa' THEN w.spend / nullif(w.conversions, 0)
           WHEN 'cpc' THEN w.spend / nullif(w.clicks, 0)
           WHEN 'spend' THEN w.spend WHEN 'revenue' THEN w.revenue
           WHEN 'conversions' THEN w.conversions WHEN 'clicks' THEN w.clicks WHEN 'impressions' THEN w.impressions
           WHEN 'sends' THEN w.sends WHEN 'replies' THEN w.replies WHEN 'meetings' THEN w.meetings
         END AS value) v
),
matched AS (
  SELECT e.campaign_id, e.rule_id
    FROM evaluated e JOIN rules r ON r.id = e.rule_id
   GROUP BY e.campaign_id, e.rule_id, r.match
  HAVING CASE r.match WHEN 'any' THEN bool_or(e.holds) ELSE bool_and(e.holds) END
),
gated AS (
  SELECT m.campaign_id, r.*
    FROM matched m
    JOIN rules r ON r.id = m.rule_id
    JOIN perf p ON p.campaign_id = m.campaign_id
   WHERE p.total_spend >= r.min_spend AND p.conversions >= r.min_conversions AND p.hours_running >= r.min_hours_running
)
SELECT p.campaign_id AS "campaignId", p.title, p.budget::float8 AS budget, p.max_budget::float8 AS "maxBudget",
       p.autopilot_enabled AS autopilot, w.id AS "ruleId", w.rule_name AS "ruleName", w.rule_type AS "ruleType",
       w.priority, w.action, p.total_spend::float8 AS spend, p.total_revenue::float8 AS revenue,
       p.conversions::float8 AS conversions, p.roi::float8 AS roi, p.spend_d7::float8 AS "spendLast7Days",
       p.hours_running::float8 AS "hoursRunning",
       CASE WHEN w.rule_type = 'scale' THEN
         (SELECT max(coalesce(a.rolled_back_at, a.executed_at)) FROM autonomous_actions a
           WHERE a.tenant_id = $1 AND a.campaign_id = p.campaign_id AND a.action_type = 'auto_scale_up'
             AND a.status IN ('executed', 'rolled_back')) END AS "lastBudgetChangeAt",
       CASE WHEN w.rule_type = 'post' THEN
         (SELECT max(a.created_at) FROM autonomous_actions a
           WHERE a.tenant_id = $1 AND a.campaign_id = p.campaign_id AND a.action_type = 'auto_post'
             AND a.status IN ('pending', 'executed')) END AS "lastPostedAt",
       CASE WHEN w.rule_type = 'notify' THEN
         (SELECT max(a.created_at) FROM autonomous_actions a
           WHERE a.tenant_id = $1 AND a.campaign_id = p.campaign_id AND a.action_type = 'notify'
             AND a.rule_id = w.id) END AS "lastNotifiedAt",
       (SELECT max(a.rolled_back_at) FROM autonomous_actions a
         WHERE a.tenant_id = $1 AND a.campaign_id = p.campaign_id AND a.rule_id = w.id
           AND a.status = 'rolled_back') AS "lastRolledBackAt",
       -- Notify and post rules are scored on their own condition (src/domain/condition-confidence.ts).
       CASE WHEN w.rule_type IN ('notify', 'post') THEN w.condition END AS condition,
       CASE WHEN w.rule_type IN ('notify', 'post') THEN to_jsonb(p) END AS perf,
       EXISTS (SELECT 1 FROM autonomous_actions a WHERE a.tenant_id = $1 AND a.campaign_id = p.campaign_id
                AND a.status = 'pending') AS "hasPendingSuggestion"
  FROM gated w JOIN perf p ON p.campaign_id = w.campaign_id
 ORDER BY w.priority DESC, p.campaign_id, w.rule_name`;

type CandidateRow = Omit<Candidate, 'condition' | 'windows'> & {
  condition: unknown;
  perf: Record<string, number> | null;
};

// cycle_perf's columns per window: lifetime totals, then the windowed sums by suffix.
const WINDOW_SUFFIX = { '24h': 'd1', '48h': 'd2', '7d': 'd7', prev_7d: 'p7' } as const;
const COUNTERS = ['impressions', 'clicks', 'conversions', 'sends', 'replies', 'meetings'] as const;

function windowedTotals(perf: Record<string, number>): WindowedTotals {
  const totals = (column: (name: string) => string): WindowTotals => {
    const value = (name: string) => Number(perf[column(name)] ?? 0);
    return {
      spend: value('spend'),
      revenue: value('revenue'),
      ...(Object.fromEntries(COUNTERS.map((name) => [name, value(name)])) as Record<(typeof COUNTERS)[number], number>),
    };
  };
  const lifetime = totals((name) => (name === 'spend' || name === 'revenue' ? `total_${name}` : name));
  const windows = Object.entries(WINDOW_SUFFIX).map(([window, suffix]) => [
    window,
    totals((name) => `${name}_${suffix}`),
  ]);
  return { lifetime, ...Object.fromEntries(windows) } as WindowedTotals;
}

/** Reads `cycle_perf`: call preparePerformance first, in the same transaction. */
export async function findCandidates(s: SqlSession, tenantId: string): Promise<Candidate[]> {
  const rows = await s.query<CandidateRow>(CANDIDATES_SQL, [tenantId]);
  return rows.map(({ condition, perf, ...row }) => ({
    ...row,
    // Stored rules were validated on write; parsing normalises the seeds' flat form to terms.
    condition: condition === null ? null : conditionSchema.parse(condition),
    windows: perf === null ? null : windowedTotals(perf),
  }));
}

/** Revenue per conversion over the tenant's campaigns: the scale of the confidence prior. */
export async function tenantOrderValue(s: SqlSession, tenantId: string): Promise<number> {
  const [row] = await s.query<{ aov: number | null }>(
    'SELECT (sum(revenue) / nullif(sum(conversions), 0))::float8 AS aov FROM campaign_rollups WHERE tenant_id = $1',
    [tenantId],
  );
  return row?.aov ?? 0;
}
