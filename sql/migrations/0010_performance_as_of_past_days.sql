-- Performance as of a past day: lifetime totals up to that day, for backtests. Same signature and
-- columns as before; the live path (as of today) still reads the rollups.

CREATE OR REPLACE FUNCTION campaign_performance_at(p_as_of date, p_now timestamptz)
RETURNS TABLE (
  tenant_id uuid, campaign_id uuid, title text, status text, budget numeric, max_budget numeric,
  autopilot_enabled boolean, hours_running numeric,
  impressions bigint, sends bigint, opens bigint, clicks bigint, replies bigint, meetings bigint,
  conversions bigint, total_spend numeric, total_revenue numeric,
  roi numeric, ctr numeric, conversion_rate numeric, reply_rate numeric,
  impressions_d1 bigint,
  sends_d1 bigint,
  opens_d1 bigint,
  clicks_d1 bigint,
  replies_d1 bigint,
  meetings_d1 bigint,
  conversions_d1 bigint,
  spend_d1 numeric,
  revenue_d1 numeric,
  impressions_d2 bigint,
  sends_d2 bigint,
  opens_d2 bigint,
  clicks_d2 bigint,
  replies_d2 bigint,
  meetings_d2 bigint,
  conversions_d2 bigint,
  spend_d2 numeric,
  revenue_d2 numeric,
  impressions_d7 bigint,
  sends_d7 bigint,
  opens_d7 bigint,
  clicks_d7 bigint,
  replies_d7 bigint,
  meetings_d7 bigint,
  conversions_d7 bigint,
  spend_d7 numeric,
  revenue_d7 numeric,
  impressions_p7 bigint,
  sends_p7 bigint,
  opens_p7 bigint,
  clicks_p7 bigint,
  replies_p7 bigint,
  meetings_p7 bigint,
  conversions_p7 bigint,
  spend_p7 numeric,
  revenue_p7 numeric
) LANGUAGE sql STABLE AS $$
  SELECT c.tenant_id, c.id, c.title, c.status, c.budget, c.max_budget, c.autopilot_enabled,
         round((extract(epoch FROM p_now - coalesce(c.started_at, c.created_at)) / 3600)::numeric, 2),
         t.impressions, t.sends, t.opens, t.clicks, t.replies, t.meetings, t.conversions, t.spend, t.revenue,
         round(t.revenue / nullif(t.spend, 0), 4),
         round(t.clicks::numeric / nullif(t.impressions, 0), 6),
         round(t.conversions::numeric / nullif(t.clicks, 0), 6),
         round(t.replies::numeric / nullif(t.sends, 0), 6),
         w.impressions_d1, w.sends_d1, w.opens_d1, w.clicks_d1, w.replies_d1, w.meetings_d1, w.conversions_d1, w.spend_d1, w.revenue_d1, w.impressions_d2, w.sends_d2, w.opens_d2, w.clicks_d2, w.replies_d2, w.meetings_d2, w.conversions_d2, w.spend_d2, w.revenue_d2, w.impressions_d7, w.sends_d7, w.opens_d7, w.clicks_d7, w.replies_d7, w.meetings_d7, w.conversions_d7, w.spend_d7, w.revenue_d7, w.impressions_p7, w.sends_p7, w.opens_p7, w.clicks_p7, w.replies_p7, w.meetings_p7, w.conversions_p7, w.spend_p7, w.revenue_p7
    FROM campaigns c
    LEFT JOIN campaign_rollups r ON r.tenant_id = c.tenant_id AND r.campaign_id = c.id
    LEFT JOIN campaign_metrics m ON m.tenant_id = c.tenant_id AND m.campaign_id = c.id
    -- Lifetime as of a past day (backtests): summed from the daily totals up to that day. The
    -- gate on last_stat_date makes this a no-op for the live cycle, which reads the rollups.
    LEFT JOIN LATERAL (
      SELECT sum(d.impressions) AS impressions, sum(d.sends) AS sends, sum(d.opens) AS opens, sum(d.clicks) AS clicks,
             sum(d.replies) AS replies, sum(d.meetings) AS meetings, sum(d.conversions) AS conversions,
             sum(d.spend) AS spend, sum(d.revenue) AS revenue
        FROM campaign_daily_totals d
       WHERE p_as_of < r.last_stat_date
         AND d.tenant_id = c.tenant_id AND d.campaign_id = c.id AND d.stat_date <= p_as_of
    ) h ON p_as_of < r.last_stat_date
    CROSS JOIN LATERAL (
      SELECT CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.impressions, 0) ELSE coalesce(r.impressions, m.impressions, 0) END::bigint AS impressions,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.sends, 0) ELSE coalesce(r.sends, m.sends, 0) END::bigint AS sends,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.opens, 0) ELSE coalesce(r.opens, m.opens, 0) END::bigint AS opens,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.clicks, 0) ELSE coalesce(r.clicks, m.clicks, 0) END::bigint AS clicks,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.replies, 0) ELSE coalesce(r.replies, m.replies, 0) END::bigint AS replies,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.meetings, 0) ELSE coalesce(r.meetings, m.meetings, 0) END::bigint AS meetings,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.conversions, 0) ELSE coalesce(r.conversions, m.conversions, 0) END::bigint AS conversions,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.spend, 0) ELSE coalesce(r.spend, m.spend, 0) END::numeric AS spend,
             CASE WHEN p_as_of < r.last_stat_date THEN coalesce(h.revenue, 0) ELSE coalesce(r.revenue, m.revenue, 0) END::numeric AS revenue
    ) t
    CROSS JOIN LATERAL (
      SELECT
           coalesce(sum(d.impressions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 0 AND p_as_of), 0) AS impressions_d1,
           coalesce(sum(d.sends) FILTER (WHERE d.stat_date BETWEEN p_as_of - 0 AND p_as_of), 0) AS sends_d1,
           coalesce(sum(d.opens) FILTER (WHERE d.stat_date BETWEEN p_as_of - 0 AND p_as_of), 0) AS opens_d1,
           coalesce(sum(d.clicks) FILTER (WHERE d.stat_date BETWEEN p_as_of - 0 AND p_as_of), 0) AS clicks_d1,
           coalesce(sum(d.replies) FILTER (WHERE d.stat_date BETWEEN p_as_of - 0 AND p_as_of), 0) AS replies_d1,
           coalesce(sum(d.meetings) FILTER (WHERE d.stat_date BETWEEN p_as_of - 0 AND p_as_of), 0) AS meetings_d1,
           coalesce(sum(d.conversions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 0 AND p_as_of), 0) AS conversions_d1,
           coalesce(sum(d.spend) FILTER (WHERE d.stat_date BETWEEN p_as_of - 0 AND p_as_of), 0) AS spend_d1,
           coalesce(sum(d.revenue) FILTER (WHERE d.stat_date BETWEEN p_as_of - 0 AND p_as_of), 0) AS revenue_d1,
           coalesce(sum(d.impressions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 1 AND p_as_of), 0) AS impressions_d2,
           coalesce(sum(d.sends) FILTER (WHERE d.stat_date BETWEEN p_as_of - 1 AND p_as_of), 0) AS sends_d2,
           coalesce(sum(d.opens) FILTER (WHERE d.stat_date BETWEEN p_as_of - 1 AND p_as_of), 0) AS opens_d2,
           coalesce(sum(d.clicks) FILTER (WHERE d.stat_date BETWEEN p_as_of - 1 AND p_as_of), 0) AS clicks_d2,
           coalesce(sum(d.replies) FILTER (WHERE d.stat_date BETWEEN p_as_of - 1 AND p_as_of), 0) AS replies_d2,
           coalesce(sum(d.meetings) FILTER (WHERE d.stat_date BETWEEN p_as_of - 1 AND p_as_of), 0) AS meetings_d2,
           coalesce(sum(d.conversions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 1 AND p_as_of), 0) AS conversions_d2,
           coalesce(sum(d.spend) FILTER (WHERE d.stat_date BETWEEN p_as_of - 1 AND p_as_of), 0) AS spend_d2,
           coalesce(sum(d.revenue) FILTER (WHERE d.stat_date BETWEEN p_as_of - 1 AND p_as_of), 0) AS revenue_d2,
           coalesce(sum(d.impressions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 6 AND p_as_of), 0) AS impressions_d7,
           coalesce(sum(d.sends) FILTER (WHERE d.stat_date BETWEEN p_as_of - 6 AND p_as_of), 0) AS sends_d7,
           coalesce(sum(d.opens) FILTER (WHERE d.stat_date BETWEEN p_as_of - 6 AND p_as_of), 0) AS opens_d7,
           coalesce(sum(d.clicks) FILTER (WHERE d.stat_date BETWEEN p_as_of - 6 AND p_as_of), 0) AS clicks_d7,
           coalesce(sum(d.replies) FILTER (WHERE d.stat_date BETWEEN p_as_of - 6 AND p_as_of), 0) AS replies_d7,
           coalesce(sum(d.meetings) FILTER (WHERE d.stat_date BETWEEN p_as_of - 6 AND p_as_of), 0) AS meetings_d7,
           coalesce(sum(d.conversions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 6 AND p_as_of), 0) AS conversions_d7,
           coalesce(sum(d.spend) FILTER (WHERE d.stat_date BETWEEN p_as_of - 6 AND p_as_of), 0) AS spend_d7,
           coalesce(sum(d.revenue) FILTER (WHERE d.stat_date BETWEEN p_as_of - 6 AND p_as_of), 0) AS revenue_d7,
           coalesce(sum(d.impressions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7), 0) AS impressions_p7,
           coalesce(sum(d.sends) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7), 0) AS sends_p7,
           coalesce(sum(d.opens) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7), 0) AS opens_p7,
           coalesce(sum(d.clicks) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7), 0) AS clicks_p7,
           coalesce(sum(d.replies) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7), 0) AS replies_p7,
           coalesce(sum(d.meetings) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7), 0) AS meetings_p7,
           coalesce(sum(d.conversions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7), 0) AS conversions_p7,
           coalesce(sum(d.spend) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7), 0) AS spend_p7,
           coalesce(sum(d.revenue) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7), 0) AS revenue_p7
        FROM campaign_daily_totals d
       WHERE d.tenant_id = c.tenant_id AND d.campaign_id = c.id AND d.stat_date BETWEEN p_as_of - 13 AND p_as_of
    ) w
$$;

