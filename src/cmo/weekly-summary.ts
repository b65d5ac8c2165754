// The weekly summary (the seeds' `summarize` mode, run Mondays 09:00 UTC): how the tenant's last
// complete week went against the week before, which campaigns led and trailed, what the engine did
// and what waits for a person. It is computed in four set-based statements (totals, campaign
// rankings, actions, opportunities), each filtered by tenant_id (row-level security checks again),
// and stored once per tenant and week: weekly_summaries is unique on (tenant_id, week_start). The
// API reads the stored ones back through listWeeklySummaries / getWeeklySummary.
//
// Weeks are ISO weeks of UTC days, Monday to Sunday. Figures come from campaign_daily_totals (all
// channels of a campaign's day summed); the ledger's timestamps are compared with the week's UTC
// bounds [Monday 00:00, next Monday 00:00).
//
// Rounding, as the engine rounds (src/ledger/actual-impact.ts): money to the cent, ROI and reply
// rate to 4 decimals. A change is computed from the figures as shown (so it adds up on the page),
// and change_pct = change / previous to 4 decimals, null when previous is 0 or null.

import type { WeeklySummary } from '../contract/weekly-summary.ts';
import type { SqlSession } from '../db/port.ts';
import { DAY_MS } from '../domain/day.ts';
import type { Keyset } from '../domain/keyset.ts';
import { recordWeeklySummaryReady } from '../notify/summary-events.ts';

/** Campaigns with no spend are ranked by reply rate once they sent this many messages in the week. */
export const MIN_SENDS_FOR_REPLY_RATE = 50;
const RANKED = 3;
const MEASURED_SHOWN = 10;
const OPPORTUNITIES_SHOWN = 5;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (day: string, days: number) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

/** The last Monday–Sunday week (UTC) that has ended by `now`: on a Monday, the week just ended. */
export function lastCompleteWeek(now: Date): { weekStart: string; weekEnd: string } {
  const daysSinceMonday = (now.getUTCDay() + 6) % 7;
  const thisMonday = addDays(isoDay(now), -daysSinceMonday);
  return { weekStart: addDays(thisMonday, -7), weekEnd: addDays(thisMonday, -1) };
}

/** Whether `day` is a real calendar date 'YYYY-MM-DD' that falls on a Monday. */
export function isMonday(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  return (
    /^\d{4}-\d\d-\d\d$/.test(day) &&
    !Number.isNaN(time) &&
    isoDay(new Date(time)) === day &&
    new Date(time).getUTCDay() === 1
  );
}

// $1 tenant, $2 week_start. Both weeks in one pass over the daily totals; ROI from the rounded sums.
// Bounces are delivery's own count, kept per channel only (sql/migrations/0037_stats_bounces.sql).
const TOTALS = `
  WITH side (name, first_day, last_day) AS (
    VALUES ('this', $2::date, $2::date + 6), ('previous', $2::date - 7, $2::date - 1)
  ), sides AS (
    SELECT side.name, coalesce(sum(d.spend), 0) AS spend, coalesce(sum(d.revenue), 0) AS revenue,
           coalesce(sum(d.impressions), 0) AS impressions, coalesce(sum(d.clicks), 0) AS clicks,
           coalesce(sum(d.sends), 0) AS sends, coalesce(sum(d.replies), 0) AS replies,
           coalesce(sum(d.meetings), 0) AS meetings, coalesce(sum(d.conversions), 0) AS conversions,
           (SELECT coalesce(sum(b.bounces), 0) FROM campaign_channel_stats_daily b
             WHERE b.tenant_id = $1 AND b.stat_date BETWEEN side.first_day AND side.last_day) AS bounces
      FROM side
      LEFT JOIN campaign_daily_totals d
        ON d.tenant_id = $1 AND d.stat_date BETWEEN side.first_day AND side.last_day
     GROUP BY side.name, side.first_day, side.last_day
  )
  SELECT (SELECT currency FROM tenants WHERE id = $1) AS currency,
         jsonb_object_agg(m.metric, jsonb_build_object(
           'this_week', trim_scale(m.this_week), 'previous_week', trim_scale(m.previous_week),
           'change', trim_scale(m.this_week - m.previous_week),
           'change_pct', trim_scale(round((m.this_week - m.previous_week) / nullif(m.previous_week, 0), 4))
         )) AS totals
    FROM sides t
    JOIN sides p ON t.name = 'this' AND p.name = 'previous'
   CROSS JOIN LATERAL (VALUES
     ('spend', t.spend, p.spend), ('revenue', t.revenue, p.revenue),
     ('roi', round(t.revenue / nullif(t.spend, 0), 4), round(p.revenue / nullif(p.spend, 0), 4)),
     ('impressions', t.impressions, p.impressions), ('clicks', t.clicks, p.clicks), ('sends', t.sends, p.sends),
     ('replies', t.replies, p.replies), ('meetings', t.meetings, p.meetings),
     ('conversions', t.conversions, p.conversions), ('bounces', t.bounces, p.bounces)
   ) AS m (metric, this_week, previous_week)`;

// $1 tenant, $2 week_start, $3 places per list, $4 minimum sends. One order per ranking (ratio,
// revenue, title in byte order so both backends agree, id); the best are its first places, the
// worst its last places not already among the best.
const RANKINGS = `
  WITH week AS (
    SELECT campaign_id, sum(spend) AS spend, sum(revenue) AS revenue, sum(conversions) AS conversions,
           sum(sends) AS sends, sum(replies) AS replies, sum(meetings) AS meetings
      FROM campaign_daily_totals
     WHERE tenant_id = $1 AND stat_date BETWEEN $2::date AND $2::date + 6
     GROUP BY campaign_id
  ),
  figures AS (
    SELECT w.*, c.title, round(w.revenue / nullif(w.spend, 0), 4) AS roi,
           round(w.replies / nullif(w.sends, 0), 4) AS reply_rate,
           CASE WHEN w.spend > 0 THEN 'roi' WHEN w.sends >= $4 THEN 'reply_rate' END AS ranking
      FROM week w
      JOIN campaigns c ON c.tenant_id = $1 AND c.id = w.campaign_id
  ),
  ranked AS (
    SELECT ranking, count(*) OVER (PARTITION BY ranking) AS entrants,
           row_number() OVER (PARTITION BY ranking
             ORDER BY CASE ranking WHEN 'roi' THEN roi ELSE reply_rate END DESC, revenue DESC,
                      title COLLATE "C", campaign_id) AS place,
           jsonb_build_object(
             'campaign_id', campaign_id, 'title', title, 'spend', trim_scale(spend), 'revenue', trim_scale(revenue),
             'roi', trim_scale(roi), 'reply_rate', trim_scale(reply_rate), 'conversions', conversions,
             'sends', sends, 'replies', replies, 'meetings', meetings) AS item
      FROM figures
     WHERE ranking IS NOT NULL
  )
  SELECT coalesce(jsonb_agg(item ORDER BY place) FILTER (WHERE ranking = 'roi' AND place <= $3), '[]')
           AS best_campaigns,
         coalesce(jsonb_agg(item ORDER BY place DESC)
                    FILTER (WHERE ranking = 'roi' AND place > $3 AND place > entrants - $3), '[]') AS worst_campaigns,
         coalesce(jsonb_agg(item ORDER BY place) FILTER (WHERE ranking = 'reply_rate' AND place <= $3), '[]')
           AS best_by_reply_rate,
         coalesce(jsonb_agg(item ORDER BY place DESC)
                    FILTER (WHERE ranking = 'reply_rate' AND place > $3 AND place > entrants - $3), '[]')
           AS worst_by_reply_rate
    FROM ranked`;

// $1 tenant, $2 and $3 the week's bounds, $4 measured actions shown (the largest moves of revenue).
// Timestamps inside the JSON are formatted here in UTC: to_jsonb would follow the session's zone.
const ACTIONS = `
  WITH per_type AS (
    SELECT action_type,
           -- A rollback's row and a change made outside Nightshift are not actions Nightshift took.
           count(*) FILTER (WHERE executed_at >= $2 AND executed_at < $3
                              AND action_type NOT IN ('rollback', 'external_change')) AS executed,
           count(*) FILTER (WHERE rolled_back_at >= $2 AND rolled_back_at < $3) AS rolled_back,
           count(*) FILTER (WHERE status = 'pending') AS pending
      FROM autonomous_actions
     WHERE tenant_id = $1
     GROUP BY action_type
  ),
  measured AS (
    SELECT row_number() OVER (ORDER BY abs((a.actual_impact->'change'->>'revenue')::numeric) DESC NULLS LAST,
                                       a.executed_at, a.id) AS place,
           jsonb_build_object(
             'action_id', a.id, 'action_type', a.action_type, 'campaign_id', a.campaign_id, 'title', c.title,
             'executed_at', to_char(a.executed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'revenue_change', a.actual_impact->'change'->'revenue', 'spend_change', a.actual_impact->'change'->'spend',
             'roi_change', a.actual_impact->'change'->'roi') AS item
      FROM autonomous_actions a
      JOIN campaigns c ON c.tenant_id = a.tenant_id AND c.id = a.campaign_id
     WHERE a.tenant_id = $1 AND a.actual_impact IS NOT NULL
       AND (a.actual_impact->>'measured_at')::timestamptz >= $2 AND (a.actual_impact->>'measured_at')::timestamptz < $3
  )
  SELECT (SELECT coalesce(sum(executed), 0)::int FROM per_type) AS executed,
         (SELECT coalesce(jsonb_object_agg(action_type, executed) FILTER (WHERE executed > 0), '{}') FROM per_type)
           AS executed_by_type,
         (SELECT coalesce(sum(rolled_back), 0)::int FROM per_type) AS rolled_back,
         (SELECT coalesce(sum(pending), 0)::int FROM per_type) AS suggestions_pending,
         (SELECT count(*)::int FROM measured) AS measured_count,
         (SELECT coalesce(jsonb_agg(item ORDER BY place) FILTER (WHERE place <= $4), '[]') FROM measured) AS measured`;

// $1 tenant, $2 opportunities shown.
const OPPORTUNITIES = `
  WITH live AS (
    SELECT o.severity,
           row_number() OVER (ORDER BY array_position(ARRAY['critical', 'high', 'medium', 'low'], o.severity),
                                       o.confidence_score DESC NULLS LAST, o.detected_at DESC, o.id) AS place,
           jsonb_build_object(
             'opportunity_id', o.id, 'campaign_id', o.campaign_id, 'title', c.title,
             'opportunity_type', o.opportunity_type, 'severity', o.severity, 'description', o.description) AS item
      FROM optimization_opportunities o
      JOIN campaigns c ON c.tenant_id = o.tenant_id AND c.id = o.campaign_id
     WHERE o.tenant_id = $1 AND o.status IN ('open', 'in_progress')
  )
  SELECT count(*)::int AS open,
         jsonb_build_object('critical', count(*) FILTER (WHERE severity = 'critical'),
                            'high', count(*) FILTER (WHERE severity = 'high'),
                            'medium', count(*) FILTER (WHERE severity = 'medium'),
                            'low', count(*) FILTER (WHERE severity = 'low')) AS by_severity,
         coalesce(jsonb_agg(item ORDER BY place) FILTER (WHERE place <= $2), '[]') AS top
    FROM live`;

/** Summarizes the tenant's week starting on Monday `weekStart` ('YYYY-MM-DD'). */
export async function computeWeeklySummary(s: SqlSession, tenantId: string, weekStart: string): Promise<WeeklySummary> {
  if (!isMonday(weekStart)) throw new RangeError(`a week starts on a Monday (YYYY-MM-DD): ${weekStart}`);
  const from = `${weekStart}T00:00:00Z`;
  const to = `${addDays(weekStart, 7)}T00:00:00Z`;
  const [totals] = await s.query<Pick<WeeklySummary, 'currency' | 'totals'>>(TOTALS, [tenantId, weekStart]);
  if (!totals?.currency) throw new Error(`no tenant ${tenantId}`);
  const [rankings] = await s.query<
    Pick<WeeklySummary, 'best_campaigns' | 'worst_campaigns' | 'best_by_reply_rate' | 'worst_by_reply_rate'>
  >(RANKINGS, [tenantId, weekStart, RANKED, MIN_SENDS_FOR_REPLY_RATE]);
  const [actions] = await s.query<WeeklySummary['actions']>(ACTIONS, [tenantId, from, to, MEASURED_SHOWN]);
  const [opportunities] = await s.query<WeeklySummary['opportunities']>(OPPORTUNITIES, [tenantId, OPPORTUNITIES_SHOWN]);
  return {
    week_start: weekStart,
    week_end: addDays(weekStart, 6),
    previous_week_start: addDays(weekStart, -7),
    currency: totals.currency,
    generated_at: new Date().toISOString(),
    totals: totals.totals,
    ...rankings!,
    actions: actions!,
    opportunities: opportunities!,
  };
}

/**
 * Stores the week's summary once: true when inserted (and weekly_summary.ready told in the same
 * transaction), false when the tenant already had that week's.
 */
export async function storeWeeklySummary(
  s: SqlSession,
  tenantId: string,
  summary: WeeklySummary,
  reportMarkdown: string,
  agentRunId: string | null,
): Promise<boolean> {
  const [stored] = await s.query<{ id: string }>(
    `INSERT INTO weekly_summaries (tenant_id, week_start, week_end, summary, report_markdown, agent_run_id)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6)
     ON CONFLICT (tenant_id, week_start) DO NOTHING
     RETURNING id`,
    [tenantId, summary.week_start, summary.week_end, JSON.stringify(summary), reportMarkdown, agentRunId],
  );
  if (stored) await recordWeeklySummaryReady(s, tenantId, stored.id);
  return stored !== undefined;
}

export interface StoredSummaryHead {
  id: string;
  week_start: string;
  week_end: string;
  created_at: Date;
  agent_run_id: string | null;
  totals: WeeklySummary['totals'];
  /** The keyset position: week_start as a UTC midnight timestamp (the shape the API's cursors carry). */
  sort_key: string;
}

/** The tenant's stored summaries, newest week first, `limit + 1` of them after the cursor. */
export function listWeeklySummaries(
  s: SqlSession,
  tenantId: string,
  page: { limit: number; cursor?: Keyset },
): Promise<StoredSummaryHead[]> {
  // week_start is unique per tenant, so it alone orders the pages; the cursor's id is not needed.
  return s.query<StoredSummaryHead>(
    `SELECT id, week_start, week_end, created_at, agent_run_id, summary->'totals' AS totals,
            to_char(week_start, 'YYYY-MM-DD') || ' 00:00:00+00' AS sort_key
       FROM weekly_summaries
      WHERE tenant_id = $1 AND ($2::text IS NULL OR week_start < left($2, 10)::date)
      ORDER BY week_start DESC
      LIMIT $3`,
    [tenantId, page.cursor?.after ?? null, page.limit + 1],
  );
}

export interface StoredSummary {
  id: string;
  created_at: Date;
  agent_run_id: string | null;
  summary: WeeklySummary;
  report_markdown: string;
}

export async function getWeeklySummary(
  s: SqlSession,
  tenantId: string,
  weekStart: string,
): Promise<StoredSummary | undefined> {
  const [row] = await s.query<StoredSummary>(
    `SELECT id, created_at, agent_run_id, summary, report_markdown
       FROM weekly_summaries WHERE tenant_id = $1 AND week_start = $2::date`,
    [tenantId, weekStart],
  );
  return row;
}
