// Actual impact: some days after an action was executed, what happened to its campaign, stored in
// `autonomous_actions.actual_impact` beside the `expected_impact` estimated when it was decided.
// docs/actual-impact.md describes the windows and the stored shape for readers of the ledger.
//
// Which actions: status 'executed' only. A rolled-back action's effect was undone, so its "after"
// window would mostly measure the undo; the undo itself is a ledger row of its own (action_type
// 'rollback', status 'executed') and is measured like any executed action. Every executed type
// is measured, notify included: the row records what happened next, whether or not the action
// changed the campaign.
//
// Windows (UTC days; D = the UTC day of executed_at, N = afterDays):
//   before = D−N … D−1 (the N whole days before the day of the action),
//   after  = D … D+N−1 (the day of the action and the N−1 days after it).
// An action is due once executed_at <= now − N×24 h, so D+N−1 has ended before `now`'s day begins.
// Figures come from campaign_daily_totals (all channels of a day summed), missing days count as 0.
//
// One statement per run: select the due actions, aggregate both windows, update. Measuring again
// changes nothing (only rows whose actual_impact IS NULL are due). Two runs at once cannot both
// write a row: each locks its due rows first (FOR UPDATE SKIP LOCKED), so the second passes by
// those the first holds, and a row the first committed meanwhile is re-checked, found measured and
// left out. No run waits on a lock, so runs cannot deadlock; a row skipped because another
// transaction held it (a rollback in progress) is considered again by the next run.
import type { Database } from '../db/port.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { DAY_MS } from '../domain/day.ts';

export const DEFAULT_IMPACT_AFTER_DAYS = 7;
/** A window longer than a quarter would compare seasons rather than an action's effect. */
const MAX_IMPACT_AFTER_DAYS = 90;

export type ImpactMetric = 'spend' | 'revenue' | 'impressions' | 'clicks' | 'conversions' | 'roi' | 'ctr';

/** One window's sums (money to the cent) and ratios: ROI and CTR rounded as the engine rounds them. */
export interface ImpactWindow {
  /** First and last UTC day of the window, inclusive ('YYYY-MM-DD'). */
  from: string;
  to: string;
  spend: number;
  revenue: number;
  impressions: number;
  clicks: number;
  conversions: number;
  /** revenue / spend to 4 decimals; null when nothing was spent. */
  roi: number | null;
  /** clicks / impressions to 6 decimals; null without impressions. */
  ctr: number | null;
}

/** The jsonb stored in autonomous_actions.actual_impact. */
export interface ActualImpact {
  /** The `now` of the run that measured it (ISO 8601, UTC). */
  measured_at: string;
  window_days: number;
  before: ImpactWindow;
  after: ImpactWindow;
  /** after − before of the figures above, exactly (null when either side is null). */
  change: Record<ImpactMetric, number | null>;
  /** (after − before) / before to 4 decimals, from unrounded figures; null when before is 0 or null. */
  relative_change: Record<ImpactMetric, number | null>;
}

export interface MeasuredAction {
  action_id: string;
  campaign_id: string;
  action_type: string;
  actual_impact: ActualImpact;
}

export interface ActualImpactOptions {
  tenantId: string;
  /** Days in each window, and how long after execution an action is measured. */
  afterDays?: number;
  /** The run's clock (tests move it). */
  now?: Date;
}

export interface ActualImpactResult {
  measured: number;
  /** The actions this run measured, in order of execution. */
  actions: MeasuredAction[];
}

// $1 tenant, $2 cutoff (now − N days), $3 N, $4 measured_at text.
// ROI and CTR are rounded as campaign_performance_at rounds them (4 and 6 decimals). In the VALUES
// list `m`, `shown` is the figure a window stores and `exact` the unrounded one the relative change
// is computed from; for sums the two are equal.
const MEASURE = `
  WITH due AS (
    SELECT id, campaign_id, (executed_at AT TIME ZONE 'UTC')::date AS day
      FROM autonomous_actions
     WHERE tenant_id = $1 AND status = 'executed' AND actual_impact IS NULL AND executed_at <= $2::timestamptz
       FOR UPDATE SKIP LOCKED
  ),
  sides AS (
    SELECT due.id, side.name, side.first_day, side.last_day,
           coalesce(sum(d.spend), 0) AS spend, coalesce(sum(d.revenue), 0) AS revenue,
           coalesce(sum(d.impressions), 0) AS impressions, coalesce(sum(d.clicks), 0) AS clicks,
           coalesce(sum(d.conversions), 0) AS conversions
      FROM due
     CROSS JOIN LATERAL (VALUES ('before', due.day - $3::int, due.day - 1),
                                ('after', due.day, due.day + $3::int - 1)) AS side (name, first_day, last_day)
      LEFT JOIN campaign_daily_totals d
        ON d.tenant_id = $1 AND d.campaign_id = due.campaign_id AND d.stat_date BETWEEN side.first_day AND side.last_day
     GROUP BY due.id, side.name, side.first_day, side.last_day
  ),
  figures AS (
    SELECT sides.*, revenue / nullif(spend, 0) AS roi_exact, clicks / nullif(impressions, 0) AS ctr_exact,
           jsonb_build_object(
             'from', first_day, 'to', last_day, 'spend', trim_scale(spend), 'revenue', trim_scale(revenue),
             'impressions', impressions, 'clicks', clicks, 'conversions', conversions,
             'roi', trim_scale(round(revenue / nullif(spend, 0), 4)),
             'ctr', trim_scale(round(clicks / nullif(impressions, 0), 6))) AS window_json
      FROM sides
  ),
  measured AS (
    SELECT b.id,
           jsonb_build_object('measured_at', $4::text, 'window_days', $3::int, 'before', b.window_json,
                              'after', a.window_json, 'change', c.change, 'relative_change', c.relative_change)
             AS impact
      FROM figures b
      JOIN figures a ON a.id = b.id AND a.name = 'after'
     CROSS JOIN LATERAL (
       SELECT jsonb_object_agg(m.metric, trim_scale(m.after_shown - m.before_shown)) AS change,
              jsonb_object_agg(m.metric,
                trim_scale(round((m.after_exact - m.before_exact) / nullif(m.before_exact, 0), 4))) AS relative_change
         FROM (VALUES
           ('spend', b.spend, a.spend, b.spend, a.spend),
           ('revenue', b.revenue, a.revenue, b.revenue, a.revenue),
           ('impressions', b.impressions, a.impressions, b.impressions, a.impressions),
           ('clicks', b.clicks, a.clicks, b.clicks, a.clicks),
           ('conversions', b.conversions, a.conversions, b.conversions, a.conversions),
           ('roi', round(b.roi_exact, 4), round(a.roi_exact, 4), b.roi_exact, a.roi_exact),
           ('ctr', round(b.ctr_exact, 6), round(a.ctr_exact, 6), b.ctr_exact, a.ctr_exact)
         ) AS m (metric, before_shown, after_shown, before_exact, after_exact)
     ) c
     WHERE b.name = 'before'
  ),
  updated AS (
    UPDATE autonomous_actions x SET actual_impact = measured.impact, updated_at = now()
      FROM measured
     WHERE x.tenant_id = $1 AND x.id = measured.id
    RETURNING x.id, x.campaign_id, x.action_type, x.executed_at, x.actual_impact
  )
  SELECT id AS action_id, campaign_id, action_type, actual_impact FROM updated ORDER BY executed_at, id`;

/** Measures the tenant's executed actions that are old enough and not measured yet. */
export async function measureActualImpact(db: Database, options: ActualImpactOptions): Promise<ActualImpactResult> {
  const afterDays = options.afterDays ?? DEFAULT_IMPACT_AFTER_DAYS;
  if (!Number.isInteger(afterDays) || afterDays < 1 || afterDays > MAX_IMPACT_AFTER_DAYS) {
    throw new RangeError(`afterDays must be a whole number of days from 1 to ${MAX_IMPACT_AFTER_DAYS}: ${afterDays}`);
  }
  const now = options.now ?? new Date();
  // Whole 24-hour days, computed here: timestamptz − interval in SQL follows the session's time
  // zone across a daylight-saving change.
  const cutoff = new Date(now.getTime() - afterDays * DAY_MS);
  const actions = await tenantScoped(db, options.tenantId).transaction((s) =>
    s.query<MeasuredAction>(MEASURE, [options.tenantId, cutoff.toISOString(), afterDays, now.toISOString()]),
  );
  return { measured: actions.length, actions };
}
