-- Concurrent stats batches that share a campaign and day deadlocked in the rollup trigger: each
-- statement upserted its rollup rows in hash-aggregate order, so two statements could take the same
-- row locks in opposite orders (seen under bench:api with 2 connections: 4 deadlocks in 5 runs).
-- The upserts now go in key order, so every statement locks rollup rows in the same order.
CREATE OR REPLACE FUNCTION nightshift_stats_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
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
     ORDER BY tenant_id, campaign_id, stat_date
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
     ORDER BY tenant_id, campaign_id
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
