-- The stats as they were at a past instant, for replaying a cycle (docs/replay.md). A daily stats
-- row holds its latest report only: a day whose conversions were revised upward on later days
-- would, replayed, show conversions that had not arrived then. Every revision or delete of a row
-- therefore keeps the version it replaces, with the span it was current in: from its updated_at
-- (when it was reported, as conversion_arrivals reads it; migration 0025) to superseded_at (the
-- revision's updated_at, or the delete's time). The row as of an instant T is then the current
-- row if reported by T, else the version with updated_at <= T < superseded_at.
--
-- Only revisions pay: first reports (the bulk of ingestion) are plain inserts and write nothing
-- here. A version that was never current (its replacement says it was reported no later than
-- itself: a backfill or a simulator setting report times) is not kept; no instant could see it.
CREATE TABLE campaign_stats_versions (
  tenant_id     uuid NOT NULL,
  campaign_id   uuid NOT NULL,
  stat_date     date NOT NULL,
  channel       text NOT NULL,
  impressions   bigint NOT NULL,
  sends         bigint NOT NULL,
  opens         bigint NOT NULL,
  clicks        bigint NOT NULL,
  replies       bigint NOT NULL,
  meetings      bigint NOT NULL,
  conversions   bigint NOT NULL,
  spend         numeric(14, 2) NOT NULL,
  revenue       numeric(14, 2) NOT NULL,
  updated_at    timestamptz NOT NULL,
  superseded_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, stat_date, channel, superseded_at),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);
-- A replay reads the versions current at its instant: those superseded after it.
CREATE INDEX campaign_stats_versions_superseded_idx ON campaign_stats_versions (tenant_id, superseded_at);
ALTER TABLE campaign_stats_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON campaign_stats_versions
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- One set-based pass per statement, as the rollups (0007). EXECUTE splices in one of two fixed
-- source queries written here; no data ever becomes SQL text.
CREATE FUNCTION nightshift_stats_versions_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  revised constant text := 'SELECT o.*, n.updated_at AS superseded_at
                              FROM old_rows o JOIN new_rows n USING (tenant_id, campaign_id, stat_date, channel)';
  deleted constant text := 'SELECT o.*, now() AS superseded_at FROM old_rows o';
BEGIN
  EXECUTE format($sql$
    INSERT INTO campaign_stats_versions (tenant_id, campaign_id, stat_date, channel, impressions, sends, opens, clicks,
                                         replies, meetings, conversions, spend, revenue, updated_at, superseded_at)
    SELECT tenant_id, campaign_id, stat_date, channel, impressions, sends, opens, clicks, replies, meetings,
           conversions, spend, revenue, updated_at, superseded_at
      FROM (%s) v
     WHERE v.updated_at < v.superseded_at
     -- Key order, as the rollups (0013): concurrent batches lock shared keys in the same order.
     ORDER BY tenant_id, campaign_id, stat_date, channel
    ON CONFLICT DO NOTHING
  $sql$, CASE TG_OP WHEN 'UPDATE' THEN revised ELSE deleted END);
  RETURN NULL;
END;
$$;

CREATE TRIGGER campaign_stats_versions_update AFTER UPDATE ON campaign_channel_stats_daily
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nightshift_stats_versions_trigger();
CREATE TRIGGER campaign_stats_versions_delete AFTER DELETE ON campaign_channel_stats_daily
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nightshift_stats_versions_trigger();
