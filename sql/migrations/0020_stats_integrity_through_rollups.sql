-- Stats ingestion checked every row's campaign three times: the API looks the batch's campaigns up
-- once (src/api/stats.ts), then the foreign keys of campaign_channel_stats_daily and of
-- campaign_daily_totals checked each row again, one index probe per row (10,000 + 5,000 a batch,
-- a third of the statement's time under bench:api).
--
-- The rollup trigger (0007, 0013) upserts a campaign_rollups row for every campaign any statement
-- writes stats for, in the same statement, and campaign_rollups keeps its foreign key to
-- campaigns. So the database still refuses stats for a campaign that does not exist (the rollup
-- upsert fails, and the statement with it), and still refuses to delete a campaign that has stats
-- (its rollup row references it). The probe now happens once per campaign, when its first stats
-- arrive (later batches update its rollup row in place), instead of once per row of every batch.
ALTER TABLE campaign_channel_stats_daily DROP CONSTRAINT campaign_channel_stats_daily_tenant_id_campaign_id_fkey;
ALTER TABLE campaign_daily_totals DROP CONSTRAINT campaign_daily_totals_tenant_id_campaign_id_fkey;

-- Every stats batch updates the rollup row of each campaign it touches. Room on the page lets the
-- new row version stay there (a HOT update: no new index entry, no page to find); it applies to
-- pages written from now on.
ALTER TABLE campaign_rollups SET (fillfactor = 50);
