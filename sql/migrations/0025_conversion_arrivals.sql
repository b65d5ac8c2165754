-- Attribution lag, measured from the stats' own revisions (docs/confidence.md). Platforms report a
-- day's spend at once and its conversions over the following days, re-sending the day each time.
-- Every write to the daily stats adds what it changed to the day it was reported on, per tenant,
-- channel and stat day: the engine reads from it what share of a day's conversions (per unit of
-- spend) has arrived a given number of days later. A stats row's updated_at is when it was
-- reported (ingestion sets it; a backfill or a simulator may say when it was reported instead).
CREATE TABLE conversion_arrivals (
  tenant_id   uuid NOT NULL,
  channel     text NOT NULL,
  stat_date   date NOT NULL,
  reported_on date NOT NULL,
  conversions bigint NOT NULL DEFAULT 0,
  spend       numeric(16, 2) NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, channel, stat_date, reported_on),
  FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);
ALTER TABLE conversion_arrivals ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversion_arrivals
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- One set-based pass per statement, as the rollups (0007): new rows add, old rows subtract, each
-- on the day its row says it was reported (a deleted row's subtraction on the day of the delete).
CREATE FUNCTION nightshift_conversion_arrivals_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  plus    constant text := 'SELECT tenant_id, channel, stat_date, (updated_at AT TIME ZONE ''UTC'')::date, conversions, spend
                              FROM new_rows';
  -- An UPDATE's old rows are subtracted on the new row's report day: the revision moved the day's
  -- totals by the difference, and that is when it was reported.
  revised constant text := 'SELECT o.tenant_id, o.channel, o.stat_date,
                                   (coalesce(n.updated_at, now()) AT TIME ZONE ''UTC'')::date, -o.conversions, -o.spend
                              FROM old_rows o LEFT JOIN new_rows n USING (tenant_id, campaign_id, stat_date, channel)';
  deleted constant text := 'SELECT tenant_id, channel, stat_date, (now() AT TIME ZONE ''UTC'')::date, -conversions, -spend
                              FROM old_rows';
  source text;
BEGIN
  source := CASE TG_OP WHEN 'INSERT' THEN plus WHEN 'DELETE' THEN deleted ELSE plus || ' UNION ALL ' || revised END;
  EXECUTE format($sql$
    WITH deltas (tenant_id, channel, stat_date, reported_on, conversions, spend) AS (%s)
    INSERT INTO conversion_arrivals AS a (tenant_id, channel, stat_date, reported_on, conversions, spend)
    SELECT tenant_id, channel, stat_date, reported_on, sum(conversions), sum(spend)
      FROM deltas GROUP BY tenant_id, channel, stat_date, reported_on
    HAVING sum(conversions) <> 0 OR sum(spend) <> 0
     -- Key order, as the rollups (0013): concurrent batches lock shared rows in the same order.
     ORDER BY tenant_id, channel, stat_date, reported_on
    ON CONFLICT (tenant_id, channel, stat_date, reported_on) DO UPDATE SET
      conversions = a.conversions + EXCLUDED.conversions, spend = a.spend + EXCLUDED.spend
  $sql$, source);
  RETURN NULL;
END;
$$;

CREATE TRIGGER campaign_stats_arrivals_insert AFTER INSERT ON campaign_channel_stats_daily
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nightshift_conversion_arrivals_trigger();
CREATE TRIGGER campaign_stats_arrivals_update AFTER UPDATE ON campaign_channel_stats_daily
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nightshift_conversion_arrivals_trigger();
CREATE TRIGGER campaign_stats_arrivals_delete AFTER DELETE ON campaign_channel_stats_daily
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nightshift_conversion_arrivals_trigger();

-- What the engine expected of an action, in money, when it took it (src/domain/model/action-value.ts):
-- {confidence, expected_gain, expected_loss, net, spend_at_stake, horizon_days}.
ALTER TABLE autonomous_actions ADD COLUMN expected_value jsonb;

-- "ROI < 1.0 for 48+ hours" (the seeds) no longer also needs lifetime ROI < 1: a campaign that was
-- good and faded below break-even never has it, so it was never paused. Noise in two days of data
-- is the model's to weigh (the pause acts only on its posterior). Tenants' unedited rules follow.
CREATE OR REPLACE FUNCTION nightshift_insert_default_rules(p_tenant uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO autonomous_rules (tenant_id, rule_name, rule_type, description, priority, condition, action) VALUES
    (p_tenant, 'Critical ROI Pause', 'pause', 'ROI below 0.5 after $50 of spend: pause at once.', 100,
     '{"match": "all", "terms": [{"metric": "roi", "window": "lifetime", "operator": "<", "threshold": 0.5}], "min_spend": 50, "min_hours_running": 24}',
     '{"type": "auto_pause"}'),
    (p_tenant, 'Low ROI Pause', 'pause', 'ROI below 1.0 over the last 48 hours after $50 of spend.', 90,
     '{"match": "all", "terms": [{"metric": "roi", "window": "48h", "operator": "<", "threshold": 1.0}], "min_spend": 50, "min_hours_running": 48}',
     '{"type": "auto_pause"}'),
    (p_tenant, 'Exceptional ROI Aggressive Scale', 'scale', 'ROI of 4.0 or more with 10+ conversions: double the budget.', 85,
     '{"match": "all", "terms": [{"metric": "roi", "window": "lifetime", "operator": ">=", "threshold": 4.0}], "min_conversions": 10, "min_hours_running": 24}',
     '{"type": "auto_scale_up", "multiplier": 2.0}'),
    (p_tenant, 'High ROI Scale', 'scale', 'ROI of 3.0 or more with 10+ conversions: budget x1.5.', 80,
     '{"match": "all", "terms": [{"metric": "roi", "window": "lifetime", "operator": ">=", "threshold": 3.0}], "min_conversions": 10, "min_hours_running": 24}',
     '{"type": "auto_scale_up", "multiplier": 1.5}')
  ON CONFLICT (tenant_id, rule_name) DO NOTHING;
$$;

UPDATE autonomous_rules
   SET description = 'ROI below 1.0 over the last 48 hours after $50 of spend.',
       condition = '{"match": "all", "terms": [{"metric": "roi", "window": "48h", "operator": "<", "threshold": 1.0}], "min_spend": 50, "min_hours_running": 48}'
 WHERE rule_name = 'Low ROI Pause'
   AND condition = '{"match": "all", "terms": [{"metric": "roi", "window": "48h", "operator": "<", "threshold": 1.0}, {"metric": "roi", "window": "lifetime", "operator": "<", "threshold": 1.0}], "min_spend": 50, "min_hours_running": 48}'::jsonb;
