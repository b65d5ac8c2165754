-- Campaign performance as the engine and the seeds read it: lifetime totals from the rollups
-- (falling back to campaign_metrics for campaigns without daily stats; summed up to the given day
-- when it lies in the past), the ratios the seeds name, hours running, and windowed sums as of a
-- given day:
--   d1 = that day ("last 24 h"), d2 = it and the day before ("48 h"), d7 = the last 7 days,
--   p7 = the 7 days before those.
-- Windows read campaign_daily_totals for 14 days at most, so cost does not grow with history.

CREATE FUNCTION campaign_performance_at(p_as_of date, p_now timestamptz)
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
         coalesce(w.impressions_d1, 0)::bigint,
         coalesce(w.sends_d1, 0)::bigint,
         coalesce(w.opens_d1, 0)::bigint,
         coalesce(w.clicks_d1, 0)::bigint,
         coalesce(w.replies_d1, 0)::bigint,
         coalesce(w.meetings_d1, 0)::bigint,
         coalesce(w.conversions_d1, 0)::bigint,
         coalesce(w.spend_d1, 0),
         coalesce(w.revenue_d1, 0),
         coalesce(w.impressions_d2, 0)::bigint,
         coalesce(w.sends_d2, 0)::bigint,
         coalesce(w.opens_d2, 0)::bigint,
         coalesce(w.clicks_d2, 0)::bigint,
         coalesce(w.replies_d2, 0)::bigint,
         coalesce(w.meetings_d2, 0)::bigint,
         coalesce(w.conversions_d2, 0)::bigint,
         coalesce(w.spend_d2, 0),
         coalesce(w.revenue_d2, 0),
         coalesce(w.impressions_d7, 0)::bigint,
         coalesce(w.sends_d7, 0)::bigint,
         coalesce(w.opens_d7, 0)::bigint,
         coalesce(w.clicks_d7, 0)::bigint,
         coalesce(w.replies_d7, 0)::bigint,
         coalesce(w.meetings_d7, 0)::bigint,
         coalesce(w.conversions_d7, 0)::bigint,
         coalesce(w.spend_d7, 0),
         coalesce(w.revenue_d7, 0),
         coalesce(w.impressions_p7, 0)::bigint,
         coalesce(w.sends_p7, 0)::bigint,
         coalesce(w.opens_p7, 0)::bigint,
         coalesce(w.clicks_p7, 0)::bigint,
         coalesce(w.replies_p7, 0)::bigint,
         coalesce(w.meetings_p7, 0)::bigint,
         coalesce(w.conversions_p7, 0)::bigint,
         coalesce(w.spend_p7, 0),
         coalesce(w.revenue_p7, 0)
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
    -- Windows: one grouped pass over the last 14 days (an index range on (tenant_id, stat_date)),
    -- joined by hash; the tenant filter of the caller reaches it through the join.
    LEFT JOIN (
      SELECT d.tenant_id, d.campaign_id,
             sum(d.impressions) FILTER (WHERE d.stat_date >= p_as_of - 0) AS impressions_d1,
             sum(d.sends) FILTER (WHERE d.stat_date >= p_as_of - 0) AS sends_d1,
             sum(d.opens) FILTER (WHERE d.stat_date >= p_as_of - 0) AS opens_d1,
             sum(d.clicks) FILTER (WHERE d.stat_date >= p_as_of - 0) AS clicks_d1,
             sum(d.replies) FILTER (WHERE d.stat_date >= p_as_of - 0) AS replies_d1,
             sum(d.meetings) FILTER (WHERE d.stat_date >= p_as_of - 0) AS meetings_d1,
             sum(d.conversions) FILTER (WHERE d.stat_date >= p_as_of - 0) AS conversions_d1,
             sum(d.spend) FILTER (WHERE d.stat_date >= p_as_of - 0) AS spend_d1,
             sum(d.revenue) FILTER (WHERE d.stat_date >= p_as_of - 0) AS revenue_d1,
             sum(d.impressions) FILTER (WHERE d.stat_date >= p_as_of - 1) AS impressions_d2,
             sum(d.sends) FILTER (WHERE d.stat_date >= p_as_of - 1) AS sends_d2,
             sum(d.opens) FILTER (WHERE d.stat_date >= p_as_of - 1) AS opens_d2,
             sum(d.clicks) FILTER (WHERE d.stat_date >= p_as_of - 1) AS clicks_d2,
             sum(d.replies) FILTER (WHERE d.stat_date >= p_as_of - 1) AS replies_d2,
             sum(d.meetings) FILTER (WHERE d.stat_date >= p_as_of - 1) AS meetings_d2,
             sum(d.conversions) FILTER (WHERE d.stat_date >= p_as_of - 1) AS conversions_d2,
             sum(d.spend) FILTER (WHERE d.stat_date >= p_as_of - 1) AS spend_d2,
             sum(d.revenue) FILTER (WHERE d.stat_date >= p_as_of - 1) AS revenue_d2,
             sum(d.impressions) FILTER (WHERE d.stat_date >= p_as_of - 6) AS impressions_d7,
             sum(d.sends) FILTER (WHERE d.stat_date >= p_as_of - 6) AS sends_d7,
             sum(d.opens) FILTER (WHERE d.stat_date >= p_as_of - 6) AS opens_d7,
             sum(d.clicks) FILTER (WHERE d.stat_date >= p_as_of - 6) AS clicks_d7,
             sum(d.replies) FILTER (WHERE d.stat_date >= p_as_of - 6) AS replies_d7,
             sum(d.meetings) FILTER (WHERE d.stat_date >= p_as_of - 6) AS meetings_d7,
             sum(d.conversions) FILTER (WHERE d.stat_date >= p_as_of - 6) AS conversions_d7,
             sum(d.spend) FILTER (WHERE d.stat_date >= p_as_of - 6) AS spend_d7,
             sum(d.revenue) FILTER (WHERE d.stat_date >= p_as_of - 6) AS revenue_d7,
             sum(d.impressions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS impressions_p7,
             sum(d.sends) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS sends_p7,
             sum(d.opens) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS opens_p7,
             sum(d.clicks) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS clicks_p7,
             sum(d.replies) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS replies_p7,
             sum(d.meetings) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS meetings_p7,
             sum(d.conversions) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS conversions_p7,
             sum(d.spend) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS spend_p7,
             sum(d.revenue) FILTER (WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of - 7) AS revenue_p7
        FROM campaign_daily_totals d
       WHERE d.stat_date BETWEEN p_as_of - 13 AND p_as_of
       GROUP BY d.tenant_id, d.campaign_id
    ) w ON w.tenant_id = c.tenant_id AND w.campaign_id = c.id
$$;

-- What the windows read: a tenant's last 14 days without touching older history.
CREATE INDEX campaign_daily_totals_recent_idx ON campaign_daily_totals (tenant_id, stat_date);

-- The seeds' view: performance as of today (UTC).
CREATE VIEW campaign_performance AS
  SELECT * FROM campaign_performance_at((now() AT TIME ZONE 'UTC')::date, now());

-- Every tenant starts with the seeds' four rules (editable, and deactivatable, like any other).
CREATE FUNCTION nightshift_insert_default_rules(p_tenant uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO autonomous_rules (tenant_id, rule_name, rule_type, description, priority, condition, action) VALUES
    (p_tenant, 'Critical ROI Pause', 'pause', 'ROI below 0.5 after $50 of spend: pause at once.', 100,
     '{"match": "all", "terms": [{"metric": "roi", "window": "lifetime", "operator": "<", "threshold": 0.5}], "min_spend": 50, "min_hours_running": 24}',
     '{"type": "auto_pause"}'),
    (p_tenant, 'Low ROI Pause', 'pause', 'ROI below 1.0 sustained over the last 48 hours after $50 of spend.', 90,
     '{"match": "all", "terms": [{"metric": "roi", "window": "48h", "operator": "<", "threshold": 1.0}, {"metric": "roi", "window": "lifetime", "operator": "<", "threshold": 1.0}], "min_spend": 50, "min_hours_running": 48}',
     '{"type": "auto_pause"}'),
    (p_tenant, 'Exceptional ROI Aggressive Scale', 'scale', 'ROI of 4.0 or more with 10+ conversions: double the budget.', 85,
     '{"match": "all", "terms": [{"metric": "roi", "window": "lifetime", "operator": ">=", "threshold": 4.0}], "min_conversions": 10, "min_hours_running": 24}',
     '{"type": "auto_scale_up", "multiplier": 2.0}'),
    (p_tenant, 'High ROI Scale', 'scale', 'ROI of 3.0 or more with 10+ conversions: budget x1.5.', 80,
     '{"match": "all", "terms": [{"metric": "roi", "window": "lifetime", "operator": ">=", "threshold": 3.0}], "min_conversions": 10, "min_hours_running": 24}',
     '{"type": "auto_scale_up", "multiplier": 1.5}')
  ON CONFLICT (tenant_id, rule_name) DO NOTHING;
$$;

CREATE FUNCTION nightshift_default_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nightshift_insert_default_rules(NEW.id);
  RETURN NULL;
END;
$$;

CREATE TRIGGER tenants_default_rules AFTER INSERT ON tenants FOR EACH ROW EXECUTE FUNCTION nightshift_default_rules();

-- Tenants created before this migration get the same rules.
SELECT nightshift_insert_default_rules(id) FROM tenants;

-- At most one open suggestion per campaign: a cycle that runs again suggests nothing new.
CREATE UNIQUE INDEX autonomous_actions_one_pending ON autonomous_actions (tenant_id, campaign_id) WHERE status = 'pending';
