-- campaign_performance_at (0008) in two parts, so that the engine can compute the costly one once
-- and join it safely whatever the planner's statistics say.
--
-- The first cycle after a bulk load ran for minutes. A new tenant of 20,000 campaigns (30 days of
-- stats) loaded into a database with no statistics yet and cycled at once: the cycle's INSERT INTO
-- cycle_perf was still running after 5 minutes (PostgreSQL 15, autovacuum off to keep it stale).
-- The planner estimated 1 active campaign, so it put the windows' grouped subquery (the tenant's
-- last 14 days, 232,658 rows) on the inner side of a nested loop and aggregated it again for each
-- of the 16,398 campaigns. After ANALYZE the same statement took 1.6 s (a hash join).
--
-- The engine (src/engine/performance.ts) now computes the windows once into a temporary table
-- keyed by campaign, and joins the lifetime part to it: a nested loop over that join is one index
-- probe per campaign, so a wrong estimate can no longer make it quadratic. The lifetime part
-- reaches every table it reads by primary key. The whole, campaign_performance_at, is the two
-- parts joined as before (the seeds' view reads it), with the same rows.

-- Lifetime totals and ratios per campaign as of a day: what 0008 computed before its windows.
CREATE FUNCTION campaign_lifetime_at(p_as_of date, p_now timestamptz)
RETURNS TABLE (
  tenant_id uuid, campaign_id uuid, title text, status text, budget numeric, max_budget numeric,
  autopilot_enabled boolean, hours_running numeric,
  impressions bigint, sends bigint, opens bigint, clicks bigint, replies bigint, meetings bigint,
  conversions bigint, total_spend numeric, total_revenue numeric,
  roi numeric, ctr numeric, conversion_rate numeric, reply_rate numeric
) LANGUAGE sql STABLE AS $$
  SELECT c.tenant_id, c.id, c.title, c.status, c.budget, c.max_budget, c.autopilot_enabled,
         round((extract(epoch FROM p_now - coalesce(c.started_at, c.created_at)) / 3600)::numeric, 2),
         t.impressions, t.sends, t.opens, t.clicks, t.replies, t.meetings, t.conversions, t.spend, t.revenue,
         round(t.revenue / nullif(t.spend, 0), 4),
         round(t.clicks::numeric / nullif(t.impressions, 0), 6),
         round(t.conversions::numeric / nullif(t.clicks, 0), 6),
         round(t.replies::numeric / nullif(t.sends, 0), 6)
    FROM campaigns c
    LEFT JOIN campaign_rollups r ON r.tenant_id = c.tenant_id AND r.campaign_id = c.id
    LEFT JOIN campaign_metrics m ON m.tenant_id = c.tenant_id AND m.campaign_id = c.id
    -- Lifetime as of a past day (backtests): summed from the daily totals up to that day. The
    -- gate on last_stat_date makes it a no-op for the live cycle, which reads the rollups.
    LEFT JOIN LATERAL (
      SELECT sum(d.impressions) AS impressions, sum(d.sends) AS sends, sum(d.opens) AS opens, sum(d.clicks) AS clicks, sum(d.replies) AS replies, sum(d.meetings) AS meetings, sum(d.conversions) AS conversions, sum(d.spend) AS spend, sum(d.revenue) AS revenue
        FROM campaign_daily_totals d
       WHERE p_as_of < r.last_stat_date
         AND d.tenant_id = c.tenant_id AND d.campaign_id = c.id AND d.stat_date <= p_as_of
    ) h ON p_as_of < r.last_stat_date
    CROSS JOIN LATERAL (
      SELECT
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.impressions, 0) ELSE coalesce(r.impressions, m.impressions, 0) END::bigint AS impressions,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.sends, 0) ELSE coalesce(r.sends, m.sends, 0) END::bigint AS sends,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.opens, 0) ELSE coalesce(r.opens, m.opens, 0) END::bigint AS opens,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.clicks, 0) ELSE coalesce(r.clicks, m.clicks, 0) END::bigint AS clicks,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.replies, 0) ELSE coalesce(r.replies, m.replies, 0) END::bigint AS replies,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.meetings, 0) ELSE coalesce(r.meetings, m.meetings, 0) END::bigint AS meetings,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.conversions, 0) ELSE coalesce(r.conversions, m.conversions, 0) END::bigint AS conversions,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.spend, 0) ELSE coalesce(r.spend, m.spend, 0) END::numeric AS spend,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.revenue, 0) ELSE coalesce(r.revenue, m.revenue, 0) END::numeric AS revenue
    ) t
$$;

-- Windowed sums per campaign with stats in the 14 days up to a day (NULL: none in that window):
--   d1 = that day ("last 24 h"), d2 = it and the day before ("48 h"), d7 = the last 7 days,
--   p7 = the 7 days before those.
-- One grouped pass over the last 14 days (an index range on (tenant_id, stat_date)); the tenant
-- filter of the caller reaches it.
CREATE FUNCTION campaign_windows_at(p_as_of date)
RETURNS TABLE (
  tenant_id uuid, campaign_id uuid,
  impressions_d1 bigint, sends_d1 bigint, opens_d1 bigint, clicks_d1 bigint, replies_d1 bigint,
  meetings_d1 bigint, conversions_d1 bigint, spend_d1 numeric, revenue_d1 numeric,
  impressions_d2 bigint, sends_d2 bigint, opens_d2 bigint, clicks_d2 bigint, replies_d2 bigint,
  meetings_d2 bigint, conversions_d2 bigint, spend_d2 numeric, revenue_d2 numeric,
  impressions_d7 bigint, sends_d7 bigint, opens_d7 bigint, clicks_d7 bigint, replies_d7 bigint,
  meetings_d7 bigint, conversions_d7 bigint, spend_d7 numeric, revenue_d7 numeric,
  impressions_p7 bigint, sends_p7 bigint, opens_p7 bigint, clicks_p7 bigint, replies_p7 bigint,
  meetings_p7 bigint, conversions_p7 bigint, spend_p7 numeric, revenue_p7 numeric
) LANGUAGE sql STABLE AS $$
  SELECT d.tenant_id, d.campaign_id,
         sum(d.impressions) FILTER (WHERE d.stat_date >= p_as_of - 0)::bigint AS impressions_d1,
         sum(d.sends) FILTER (WHERE d.stat_date >= p_as_of - 0)::bigint AS sends_d1,
         sum(d.opens) FILTER (WHERE d.stat_date >= p_as_of - 0)::bigint AS opens_d1,
         sum(d.clicks) FILTER (WHERE d.stat_date >= p_as_of - 0)::bigint AS clicks_d1,
         sum(d.replies) FILTER (WHERE d.stat_date >= p_as_of - 0)::bigint AS replies_d1,
         sum(d.meetings) FILTER (WHERE d.stat_date >= p_as_of - 0)::bigint AS meetings_d1,
         sum(d.conversions) FILTER (WHERE d.stat_date >= p_as_of - 0)::bigint AS conversions_d1,
         sum(d.spend) FILTER (WHERE d.stat_date >= p_as_of - 0) AS spend_d1,
         sum(d.revenue) FILTER (WHERE d.stat_date >= p_as_of - 0) AS revenue_d1,
         sum(d.impressions) FILTER (WHERE d.stat_date >= p_as_of - 1)::bigint AS impressions_d2,
         sum(d.sends) FILTER (WHERE d.stat_date >= p_as_of - 1)::bigint AS sends_d2,
         sum(d.opens) FILTER (WHERE d.stat_date >= p_as_of - 1)::bigint AS opens_d2,
         sum(d.clicks) FILTER (WHERE d.stat_date >= p_as_of - 1)::bigint AS clicks_d2,
         sum(d.replies) FILTER (WHERE d.stat_date >= p_as_of - 1)::bigint AS replies_d2,
         sum(d.meetings) FILTER (WHERE d.stat_date >= p_as_of - 1)::bigint AS meetings_d2,
         sum(d.conversions) FILTER (WHERE d.stat_date >= p_as_of - 1)::bigint AS conversions_d2,
         sum(d.spend) FILTER (WHERE d.stat_date >= p_as_of - 1) AS spend_d2,
         sum(d.revenue) FILTER (WHERE d.stat_date >= p_as_of - 1) AS revenue_d2,
         sum(d.impressions) FILTER (WHERE d.stat_date >= p_as_of - 6)::bigint AS impressions_d7,
         sum(d.sends) FILTER (WHERE d.stat_date >= p_as_of - 6)::bigint AS sends_d7,
         sum(d.opens) FILTER (WHERE d.stat_date >= p_as_of - 6)::bigint AS opens_d7,
         sum(d.clicks) FILTER (WHERE d.stat_date >= p_as_of - 6)::bigint AS clicks_d7,
         sum(d.replies) FILTER (WHERE d.stat_date >= p_as_of - 6)::bigint AS replies_d7,
         sum(d.meetings) FILTER (WHERE d.stat_date >= p_as_of - 6)::bigint AS meetings_d7,
         sum(d.conversions) FILTER (WHERE d.stat_date >= p_as_of - 6)::bigint AS conversions_d7,
         sum(d.spend) FILTER (WHERE d.stat_date >= p_as_of - 6) AS spend_d7,
         sum(d.revenue) FILTER (WHERE d.stat_date >= p_as_of - 6) AS revenue_d7,
         sum(d.impressions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7)::bigint AS impressions_p7,
         sum(d.sends) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7)::bigint AS sends_p7,
         sum(d.opens) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7)::bigint AS opens_p7,
         sum(d.clicks) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7)::bigint AS clicks_p7,
         sum(d.replies) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7)::bigint AS replies_p7,
         sum(d.meetings) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7)::bigint AS meetings_p7,
         sum(d.conversions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7)::bigint AS conversions_p7,
         sum(d.spend) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS spend_p7,
         sum(d.revenue) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS revenue_p7
    FROM campaign_daily_totals d
   WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of
   GROUP BY d.tenant_id, d.campaign_id
$$;

CREATE OR REPLACE FUNCTION campaign_performance_at(p_as_of date, p_now timestamptz)
RETURNS TABLE (
  tenant_id uuid, campaign_id uuid, title text, status text, budget numeric, max_budget numeric,
  autopilot_enabled boolean, hours_running numeric,
  impressions bigint, sends bigint, opens bigint, clicks bigint, replies bigint, meetings bigint,
  conversions bigint, total_spend numeric, total_revenue numeric,
  roi numeric, ctr numeric, conversion_rate numeric, reply_rate numeric,
  impressions_d1 bigint, sends_d1 bigint, opens_d1 bigint, clicks_d1 bigint, replies_d1 bigint,
  meetings_d1 bigint, conversions_d1 bigint, spend_d1 numeric, revenue_d1 numeric,
  impressions_d2 bigint, sends_d2 bigint, opens_d2 bigint, clicks_d2 bigint, replies_d2 bigint,
  meetings_d2 bigint, conversions_d2 bigint, spend_d2 numeric, revenue_d2 numeric,
  impressions_d7 bigint, sends_d7 bigint, opens_d7 bigint, clicks_d7 bigint, replies_d7 bigint,
  meetings_d7 bigint, conversions_d7 bigint, spend_d7 numeric, revenue_d7 numeric,
  impressions_p7 bigint, sends_p7 bigint, opens_p7 bigint, clicks_p7 bigint, replies_p7 bigint,
  meetings_p7 bigint, conversions_p7 bigint, spend_p7 numeric, revenue_p7 numeric
) LANGUAGE sql STABLE AS $$
  SELECT l.*,
         coalesce(w.impressions_d1, 0), coalesce(w.sends_d1, 0), coalesce(w.opens_d1, 0), coalesce(w.clicks_d1, 0), coalesce(w.replies_d1, 0),
         coalesce(w.meetings_d1, 0), coalesce(w.conversions_d1, 0), coalesce(w.spend_d1, 0), coalesce(w.revenue_d1, 0),
         coalesce(w.impressions_d2, 0), coalesce(w.sends_d2, 0), coalesce(w.opens_d2, 0), coalesce(w.clicks_d2, 0), coalesce(w.replies_d2, 0),
         coalesce(w.meetings_d2, 0), coalesce(w.conversions_d2, 0), coalesce(w.spend_d2, 0), coalesce(w.revenue_d2, 0),
         coalesce(w.impressions_d7, 0), coalesce(w.sends_d7, 0), coalesce(w.opens_d7, 0), coalesce(w.clicks_d7, 0), coalesce(w.replies_d7, 0),
         coalesce(w.meetings_d7, 0), coalesce(w.conversions_d7, 0), coalesce(w.spend_d7, 0), coalesce(w.revenue_d7, 0),
         coalesce(w.impressions_p7, 0), coalesce(w.sends_p7, 0), coalesce(w.opens_p7, 0), coalesce(w.clicks_p7, 0), coalesce(w.replies_p7, 0),
         coalesce(w.meetings_p7, 0), coalesce(w.conversions_p7, 0), coalesce(w.spend_p7, 0), coalesce(w.revenue_p7, 0)
    FROM campaign_lifetime_at(p_as_of, p_now) l
    LEFT JOIN campaign_windows_at(p_as_of) w ON w.tenant_id = l.tenant_id AND w.campaign_id = l.campaign_id
$$;
