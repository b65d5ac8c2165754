-- Performance rollups, maintained incrementally as stats arrive, so that a cycle costs
-- O(campaigns) instead of O(campaigns x days of history):
--   campaign_rollups       lifetime totals per campaign;
--   campaign_daily_totals  per campaign and day, summed over channels (what windows read).
-- Statement-level triggers with transition tables fold each INSERT / UPDATE / DELETE (COPY
-- included) into both tables in one set-based pass, whichever path wrote the stats.

CREATE TABLE campaign_rollups (
  tenant_id       uuid NOT NULL,
  campaign_id     uuid NOT NULL,
  impressions     bigint NOT NULL DEFAULT 0,
  sends           bigint NOT NULL DEFAULT 0,
  opens           bigint NOT NULL DEFAULT 0,
  clicks          bigint NOT NULL DEFAULT 0,
  replies         bigint NOT NULL DEFAULT 0,
  meetings        bigint NOT NULL DEFAULT 0,
  conversions     bigint NOT NULL DEFAULT 0,
  spend           numeric(16, 2) NOT NULL DEFAULT 0,
  revenue         numeric(16, 2) NOT NULL DEFAULT 0,
  first_stat_date date,
  last_stat_date  date,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, campaign_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);

CREATE TABLE campaign_daily_totals (
  tenant_id   uuid NOT NULL,
  campaign_id uuid NOT NULL,
  stat_date   date NOT NULL,
  impressions bigint NOT NULL DEFAULT 0,
  sends       bigint NOT NULL DEFAULT 0,
  opens       bigint NOT NULL DEFAULT 0,
  clicks      bigint NOT NULL DEFAULT 0,
  replies     bigint NOT NULL DEFAULT 0,
  meetings    bigint NOT NULL DEFAULT 0,
  conversions bigint NOT NULL DEFAULT 0,
  spend       numeric(16, 2) NOT NULL DEFAULT 0,
  revenue     numeric(16, 2) NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, campaign_id, stat_date),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);

-- The trigger builds the statement's signed deltas (new rows +, old rows -) as a query over its
-- transition tables and folds them into both rollups. EXECUTE only splices in one of three fixed
-- source queries written here; no data ever becomes SQL text.
CREATE FUNCTION nightshift_stats_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  plus  constant text := 'SELECT tenant_id, campaign_id, stat_date, impressions, sends, opens, clicks, replies,
                                 meetings, conversions, spend, revenue FROM new_rows';
  minus constant text := 'SELECT tenant_id, campaign_id, stat_date, -impressions, -sends, -opens, -clicks, -replies,
                                 -meetings, -conversions, -spend, -revenue FROM old_rows';
  source text;
BEGIN
  source := CASE TG_OP WHEN 'INSERT' THEN plus WHEN 'DELETE' THEN minus ELSE plus || ' UNION ALL ' || minus END;
  EXECUTE format($sql$
    WITH deltas (tenant_id, campaign_id, stat_date, impressions, sends, opens, clicks, replies, meetings,
                 conversions, spend, revenue) AS (%s)
    INSERT INTO campaign_daily_totals AS t (tenant_id, campaign_id, stat_date, impressions, sends, opens, clicks,
                                            replies, meetings, conversions, spend, revenue)
    SELECT tenant_id, campaign_id, stat_date, sum(impressions), sum(sends), sum(opens), sum(clicks), sum(replies),
           sum(meetings), sum(conversions), sum(spend), sum(revenue)
      FROM deltas GROUP BY tenant_id, campaign_id, stat_date
    ON CONFLICT (tenant_id, campaign_id, stat_date) DO UPDATE SET
      impressions = t.impressions + EXCLUDED.impressions, sends = t.sends + EXCLUDED.sends,
      opens = t.opens + EXCLUDED.opens, clicks = t.clicks + EXCLUDED.clicks, replies = t.replies + EXCLUDED.replies,
      meetings = t.meetings + EXCLUDED.meetings, conversions = t.conversions + EXCLUDED.conversions,
      spend = t.spend + EXCLUDED.spend, revenue = t.revenue + EXCLUDED.revenue
  $sql$, source);
  EXECUTE format($sql$
    WITH deltas (tenant_id, campaign_id, stat_date, impressions, sends, opens, clicks, replies, meetings,
                 conversions, spend, revenue) AS (%s)
    INSERT INTO campaign_rollups AS r (tenant_id, campaign_id, impressions, sends, opens, clicks, replies, meetings,
                                       conversions, spend, revenue, first_stat_date, last_stat_date, updated_at)
    SELECT tenant_id, campaign_id, sum(impressions), sum(sends), sum(opens), sum(clicks), sum(replies),
           sum(meetings), sum(conversions), sum(spend), sum(revenue), min(stat_date), max(stat_date), now()
      FROM deltas GROUP BY tenant_id, campaign_id
    ON CONFLICT (tenant_id, campaign_id) DO UPDATE SET
      impressions = r.impressions + EXCLUDED.impressions, sends = r.sends + EXCLUDED.sends,
      opens = r.opens + EXCLUDED.opens, clicks = r.clicks + EXCLUDED.clicks, replies = r.replies + EXCLUDED.replies,
      meetings = r.meetings + EXCLUDED.meetings, conversions = r.conversions + EXCLUDED.conversions,
      spend = r.spend + EXCLUDED.spend, revenue = r.revenue + EXCLUDED.revenue,
      -- Date bounds only widen: after a delete they may be loose, never too narrow.
      first_stat_date = least(r.first_stat_date, EXCLUDED.first_stat_date),
      last_stat_date = greatest(r.last_stat_date, EXCLUDED.last_stat_date),
      updated_at = now()
  $sql$, source);
  RETURN NULL;
END;
$$;

CREATE TRIGGER campaign_stats_rollup_insert AFTER INSERT ON campaign_channel_stats_daily
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nightshift_stats_rollup_trigger();
CREATE TRIGGER campaign_stats_rollup_update AFTER UPDATE ON campaign_channel_stats_daily
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nightshift_stats_rollup_trigger();
CREATE TRIGGER campaign_stats_rollup_delete AFTER DELETE ON campaign_channel_stats_daily
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nightshift_stats_rollup_trigger();

-- Stats written before this migration.
INSERT INTO campaign_daily_totals
SELECT tenant_id, campaign_id, stat_date, sum(impressions), sum(sends), sum(opens), sum(clicks), sum(replies),
       sum(meetings), sum(conversions), sum(spend), sum(revenue)
  FROM campaign_channel_stats_daily GROUP BY tenant_id, campaign_id, stat_date;
INSERT INTO campaign_rollups
SELECT tenant_id, campaign_id, sum(impressions), sum(sends), sum(opens), sum(clicks), sum(replies), sum(meetings),
       sum(conversions), sum(spend), sum(revenue), min(stat_date), max(stat_date), now()
  FROM campaign_daily_totals GROUP BY tenant_id, campaign_id;
