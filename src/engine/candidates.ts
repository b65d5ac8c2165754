// Which campaigns of a tenant each active rule matches: one set-based statement over the
// performance rows prepared for this cycle (src/engine/performance.ts).
//
// Every active campaign that passes a rule's gates is joined to that rule's terms (read from
// autonomous_rules as JSON), and each term is evaluated by fixed CASE expressions that pick the
// term's window and metric: metrics, windows and operators outside the whitelist evaluate to
// NULL, i.e. "no match". Every match comes back, highest priority first:
// the guardrails pick, per campaign, the first one they allow. Thresholds and gates are data
// read by SQL, never spliced into SQL text.
import type { SqlSession } from '../db/port.ts';
import type { Candidate } from '../domain/candidate.ts';
import type { WindowedTotals, WindowTotals } from '../domain/condition-confidence.ts';
import { perMetric, RULE_TOTALS, type RuleTotal } from '../domain/metrics.ts';
import { conditionSchema } from '../domain/rules.ts';
import { lifetimeColumn, WINDOW_SUFFIX } from './performance.ts';

/** `CASE` over the term's window: the lifetime column, else the window's (by its suffix). */
function byWindow(lifetime: string, windowed: (suffix: string) => string): string {
  const arms = Object.entries(WINDOW_SUFFIX).map(([window, suffix]) => `WHEN '${window}' THEN ${windowed(suffix)}`);
  return `CASE t.time_window WHEN 'lifetime' THEN ${lifetime} ${arms.join(' ')} END`;
}

// The term's window of every total a rule may test, and of the spend behind the conversions
// reported so far (attribution lag, campaign-evidence.ts), on which ROI and CPA are judged.
const WINDOW_VALUES = [
  `${byWindow('e.espend_lifetime', (suffix) => `e.espend_${suffix}`)} AS espend`,
  ...RULE_TOTALS.map(
    (metric) => `${byWindow(`p.${lifetimeColumn(metric)}`, (suffix) => `p.${metric}_${suffix}`)} AS ${metric}`,
  ),
].join(',\n           ');

const TOTAL_ARMS = RULE_TOTALS.map((metric) => `WHEN '${metric}' THEN w.${metric}`).join(' ');

// Each window's spend behind the conversions reported so far, the spend itself for a campaign with no evidence.
const EXPOSURES = [
  `'espend_lifetime', coalesce(e.espend_lifetime, p.${lifetimeColumn('spend')})`,
  ...Object.values(WINDOW_SUFFIX).map(
    (suffix) => `'espend_${suffix}', coalesce(e.espend_${suffix}, p.spend_${suffix})`,
  ),
].join(', ');

const CANDIDATES_SQL = `
WITH rules AS (
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
  SELECT r.id AS rule_id, r.match, r.min_spend, r.min_conversions, r.min_hours_running,
         t.metric, coalesce(t."window", 'lifetime') AS time_window, t.operator, t.threshold
    FROM rules r CROSS JOIN LATERAL jsonb_to_recordset(r.terms) AS t(metric text, "window" text, operator text, threshold numeric)
),
evaluated AS (
  SELECT p.campaign_id, t.rule_id, t.match,
         coalesce(CASE t.operator
           WHEN '<' THEN v.value < t.threshold WHEN '<=' THEN v.value <= t.threshold
           WHEN '>' THEN v.value > t.threshold WHEN '>=' THEN v.value >= t.threshold
           WHEN '=' THEN v.value = t.threshold WHEN '!=' THEN v.value <> t.threshold
         END, false) AS holds
    FROM cycle_perf p
    LEFT JOIN cycle_evidence e ON e.campaign_id = p.campaign_id
    -- The gates first: a campaign below a rule's minimums is not evaluated against its terms.
    -- Hours running are hours of data (days at their completeness), not hours since launch: the
    -- same data passes the same gates whatever the hour of the cycle.
    JOIN terms t ON p.total_spend >= t.min_spend AND p.conversions >= t.min_conversions
                AND coalesce(e.evidence_days, 0) * 24 >= t.min_hours_running
   CROSS JOIN LATERAL (SELECT
           ${WINDOW_VALUES}
         ) w
   CROSS JOIN LATERAL (SELECT CASE t.metric
           -- ROI and CPA of the expected complete totals: conversions that have not arrived yet
           -- do not make a campaign look worse than it is.
           WHEN 'roi' THEN w.revenue / nullif(coalesce(w.espend, w.spend), 0)
           WHEN 'ctr' THEN w.clicks::numeric / nullif(w.impressions, 0)
           WHEN 'conversion_rate' THEN w.conversions::numeric / nullif(w.clicks, 0)
           WHEN 'reply_rate' THEN w.replies::numeric / nullif(w.sends, 0)
           WHEN 'cpa' THEN coalesce(w.espend, w.spend) / nullif(w.conversions, 0)
           WHEN 'cpc' THEN w.spend / nullif(w.clicks, 0)
           ${TOTAL_ARMS}
         END AS value) v
),
matched AS (
  SELECT campaign_id, rule_id
    FROM evaluated
   GROUP BY campaign_id, rule_id, match
  HAVING CASE match WHEN 'any' THEN bool_or(holds) ELSE bool_and(holds) END
)
SELECT p.campaign_id AS "campaignId", p.title, p.budget::float8 AS budget, p.max_budget::float8 AS "maxBudget",
       p.autopilot_enabled AS autopilot, w.id AS "ruleId", w.rule_name AS "ruleName", w.rule_type AS "ruleType",
       w.priority, w.action, p.total_spend::float8 AS spend, p.total_revenue::float8 AS revenue,
       p.conversions::float8 AS conversions, p.roi::float8 AS roi,
       p.hours_running::float8 AS "hoursRunning", coalesce(e.channel, '') AS channel,
       coalesce(e.exposure, 0) AS "evidenceExposure", coalesce(e.conversions, 0) AS "evidenceConversions",
       coalesce(e.revenue, 0) AS "evidenceRevenue", coalesce(e.daily_spend, 0) AS "dailySpend",
       h."lastBudgetChangeAt", h."lastPostedAt", h."lastNotifiedAt", h."lastRolledBackAt", h."lastChangedOutsideAt",
       h."lastChangedByHandAt",
       h."lastDismissal",
       h."pendingSuggestionId",
       -- Notify and post rules are scored on their own condition (src/domain/condition-confidence.ts).
       CASE WHEN w.rule_type IN ('notify', 'post') THEN w.condition END AS condition,
       -- With each window's spend behind the conversions reported so far, on which ROI and CPA are judged.
       CASE WHEN w.rule_type IN ('notify', 'post')
            THEN to_jsonb(p) || jsonb_build_object(${EXPOSURES}) END AS perf
  FROM matched m JOIN rules w ON w.id = m.rule_id JOIN cycle_perf p ON p.campaign_id = m.campaign_id
  LEFT JOIN cycle_evidence e ON e.campaign_id = m.campaign_id
  -- The campaign's ledger, read once per match (one index range) for every cooldown it needs.
 CROSS JOIN LATERAL (
   -- A scale on its way to an ad platform ('applying') counts from when it was decided; so does a
   -- budget changed on the platform outside Nightshift (src/ledger/external-changes.ts: its budgets
   -- are decimal text of 2 places, so the JSON values differ exactly when the budget moved).
   SELECT max(coalesce(a.rolled_back_at, a.executed_at, a.created_at))
            FILTER (WHERE a.action_type = 'auto_scale_up' AND a.status IN ('applying', 'executed', 'rolled_back')
                       OR a.action_type = 'external_change' AND a.new_state->'budget' <> a.previous_state->'budget')
            AS "lastBudgetChangeAt",
          max(a.created_at) FILTER (WHERE a.action_type = 'auto_post' AND a.status IN ('pending', 'executed')) AS "lastPostedAt",
          max(a.created_at) FILTER (WHERE a.action_type = 'notify' AND a.rule_id = w.id) AS "lastNotifiedAt",
          -- A person's rollback or dismissal holds back every rule acting in the same direction (the
          -- action's type), not only the rule that acted (src/domain/respite.ts). Only decisions taken
          -- by the cycle's clock count: replaying a past day must not see a later one.
          max(a.rolled_back_at) FILTER (WHERE a.action_type = w.action->>'type' AND a.status = 'rolled_back'
                                          AND a.rolled_back_at <= $2) AS "lastRolledBackAt",
          -- Someone paused or resumed the campaign on its ad platform: a person's decision too.
          max(a.executed_at) FILTER (WHERE a.action_type = 'external_change' AND a.executed_at <= $2
                                       AND a.new_state->'status' <> a.previous_state->'status')
            AS "lastChangedOutsideAt",
          -- A person paused or resumed it here, by hand (POST /api/campaigns/{id}/pause|resume).
          max(a.executed_at) FILTER (WHERE a.action_type IN ('manual_pause', 'manual_resume')
                                       AND a.status = 'executed' AND a.executed_at <= $2)
            AS "lastChangedByHandAt",
          -- A dismissed row is final: its updated_at is when the person dismissed it (ledger.ts).
          (array_agg(jsonb_build_object('at', a.updated_at, 'confidence', a.confidence_score::float8,
                                        'net', (a.expected_value->>'net')::float8) ORDER BY a.updated_at DESC)
             FILTER (WHERE a.action_type = w.action->>'type' AND a.status = 'dismissed' AND a.updated_at <= $2))[1]
            AS "lastDismissal",
          -- The cycle's own suggestion awaiting a person (one at most: autonomous_actions_one_pending);
          -- the CMO loop's (per step and variant) do not hold a rule back.
          (array_agg(a.id) FILTER (WHERE a.status = 'pending'
                                     AND a.action_type IN ('auto_pause', 'auto_scale_up', 'auto_post', 'notify')))[1]
            AS "pendingSuggestionId",
          -- A change still on its way to the campaign's ad platform (src/ledger/kinds/platform-change.ts).
          coalesce(bool_or(a.status = 'applying'), false) AS applying
     FROM autonomous_actions a WHERE a.tenant_id = $1 AND a.campaign_id = p.campaign_id
 ) h
 -- Such a campaign is decided on again once the platform has answered: read in the same index
 -- range as the cooldowns, not by a second probe per match.
 WHERE NOT h.applying
 ORDER BY w.priority DESC, p.campaign_id, w.rule_name`;

type CandidateRow = Omit<Candidate, 'condition' | 'windows' | 'evidence' | 'lastDismissal'> & {
  lastDismissal: { at: string; confidence: number | null; net: number | null } | null;
  condition: unknown;
  perf: Record<string, number> | null;
  evidenceExposure: number;
  evidenceConversions: number;
  evidenceRevenue: number;
};

// cycle_perf's columns per window: lifetime totals, then the windowed sums by suffix.
function windowedTotals(perf: Record<string, number>): WindowedTotals {
  const totals = (column: (name: RuleTotal) => string, exposureColumn: string): WindowTotals => {
    const value = (name: RuleTotal) => Number(perf[column(name)] ?? 0);
    return {
      ...perMetric(RULE_TOTALS, value),
      exposure: Number(perf[exposureColumn] ?? 0),
    };
  };
  const lifetime = totals(lifetimeColumn, 'espend_lifetime');
  const windows = Object.entries(WINDOW_SUFFIX).map(([window, suffix]) => [
    window,
    totals((name) => `${name}_${suffix}`, `espend_${suffix}`),
  ]);
  return { lifetime, ...Object.fromEntries(windows) } as WindowedTotals;
}

/** Reads `cycle_perf`: call preparePerformance first, in the same transaction. `now`: the cycle's clock. */
export async function findCandidates(s: SqlSession, tenantId: string, now: Date): Promise<Candidate[]> {
  const rows = await s.query<CandidateRow>(CANDIDATES_SQL, [tenantId, now.toISOString()]);
  return rows.map(
    ({ condition, perf, evidenceExposure, evidenceConversions, evidenceRevenue, lastDismissal, ...row }) => ({
      ...row,
      lastDismissal: lastDismissal && { ...lastDismissal, at: new Date(lastDismissal.at) },
      evidence: { exposure: evidenceExposure, conversions: evidenceConversions, revenue: evidenceRevenue },
      // Stored rules were validated on write; parsing normalises the seeds' flat form to terms.
      condition: condition === null ? null : conditionSchema.parse(condition),
      windows: perf === null ? null : windowedTotals(perf),
    }),
  );
}
