-- Campaign performance as the engine and the seeds read it: lifetime totals from the rollups
-- (falling back to campaign_metrics for campaigns without daily stats), the ratios the seeds name,
-- hours running, and windowed sums as of a given day:
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
         w.impressions_d1, w.sends_d1, w.opens_d1, w.clicks_d1, w.replies_d1, w.meetings_d1, w.conversions_d1, w.spend_d1, w.revenue_d1, w.impressions_d2, w.sends_d2, w.opens_d2, w.clicks_d2, w.replies_d2, w.meetings_d2, w.conversions_d2, w.spend_d2, w.revenue_d2, w.impressions_d7, w.sends_d7, w.opens_d7, w.clicks_d7, w.replies_d7, w.meetings_d7, w.conversions_d7, w.spend_d7, w.revenue_d7, w.impressions_p7, w.sends_p7, w.opens_p7, w.clicks_p7, w.replies_p7, w.meetings_p7, w.conversions_p7, w.spend_p7, w.revenue_p7
    FROM campaigns c
    LEFT JOIN campaign_rollups r ON r.tenant_id = c.tenant_id AND r.campaign_id = c.id
    LEFT JOIN campaign_metrics m ON m.tenant_id = c.tenant_id AND m.campaign_id = c.id
    CROSS JOIN LATERAL (
      SELECT coalesce(r.impressions, m.impressions, 0) AS impressions, coalesce(r.sends, m.sends, 0) AS sends,
             coalesce(r.opens, m.opens, 0) AS opens, coalesce(r.clicks, m.clicks, 0) AS clicks,
             coalesce(r.replies, m.replies, 0) AS replies, coalesce(r.meetings, m.meetings, 0) AS meetings,
             coalesce(r.conversions, m.conversions, 0) AS conversions,
             coalesce(r.spend, m.spend, 0)::numeric AS spend, coalesce(r.revenue, m.revenue, 0)::numeric AS revenue
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
