-- The recent windows (the cycle's last 14 days, the timing detector's last 28) read only the
-- index: its entries for a tenant's recent days sit together whatever order the rows reached the
-- table in. A tenant that imports 90 days of history at once gets its days interleaved on the
-- heap, and a heap scan of the last 28 days then touches nearly every page of the whole history.
CREATE INDEX campaign_daily_totals_recent_covering_idx ON campaign_daily_totals (tenant_id, stat_date)
  INCLUDE (campaign_id, impressions, sends, opens, clicks, replies, meetings, conversions, spend, revenue);
DROP INDEX campaign_daily_totals_recent_idx;
