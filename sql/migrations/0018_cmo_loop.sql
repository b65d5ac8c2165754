-- The CMO daily loop (src/cmo/): what it reads beside the stats, and its two default schedules.

-- Variant counters arrive by ingestion (POST /api/content/variant-stats). They carry their own
-- timestamp, so updated_at keeps meaning "the copy or status changed", which is what stale-content
-- detection asks. reply_delays counts replies by how long after the send they came (bucket bounds
-- in hours, src/domain/reply-timing.ts): the observed timing the loop moves step delays by.
ALTER TABLE content_variants
  ADD COLUMN reply_delays jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(reply_delays) = 'object'),
  ADD COLUMN stats_updated_at timestamptz;

-- The loop raises one underperforming alert per campaign until someone resolves it: it looks for
-- an unresolved one first.
CREATE INDEX alerts_unresolved_idx ON alerts (tenant_id, alert_type, campaign_id) WHERE status <> 'resolved';

-- A pending suggestion is not suggested again: the loop looks for the same one first.
CREATE INDEX campaign_optimizations_suggested_idx ON campaign_optimizations (tenant_id, campaign_id)
  WHERE status = 'suggested';

-- One open suggestion per campaign holds for the cycle's actions (a cycle that runs again suggests
-- nothing new). The loop suggests per step and variant, several per campaign, and deduplicates its
-- own (src/cmo/write-changes.ts).
DROP INDEX autonomous_actions_one_pending;
CREATE UNIQUE INDEX autonomous_actions_one_pending ON autonomous_actions (tenant_id, campaign_id)
  WHERE status = 'pending' AND action_type IN ('auto_pause', 'auto_scale_up', 'auto_post', 'notify');

-- The daily loop (mode full: optimize, stale content, underperforming alerts) and the weekly
-- summary, as the seeds' pg_cron jobs ran them.
INSERT INTO job_schedules (name, task, cron, data) VALUES
  ('cmo-daily-loop', 'cmo-loop', '0 6 * * *', '{"mode": "full"}'),
  ('cmo-weekly-summary', 'cmo-weekly-summary', '0 9 * * 1', '{}');
