-- Stats in from the ad platforms (docs/ad-platforms.md, "Stats in"): how far each ad account's
-- sync has got. Columns of ad_accounts, not a table of their own: one state per account, read with
-- the account and covered by its row-level security policy and its distribution by tenant_id.
ALTER TABLE ad_accounts
  -- The end of the last sync that read the platform to the end, and the platform's words when the
  -- last attempt failed (null once one succeeds again).
  ADD COLUMN last_synced_at     timestamptz,
  ADD COLUMN last_sync_error    text,
  -- The 90-day backfill of a new connection: its first day (in the account's time zone), the last
  -- day stored so far (it goes on from there after a failure), and when it was complete.
  ADD COLUMN backfill_from      date,
  ADD COLUMN backfilled_through date,
  ADD COLUMN backfill_done_at   timestamptz,
  ADD CONSTRAINT ad_accounts_backfill_order
    CHECK (backfilled_through IS NULL OR backfilled_through >= backfill_from - 1);

-- Hourly, at ten to the hour: the autonomous cycle (on the hour) then decides on fresh figures.
INSERT INTO job_schedules (name, task, cron, data) VALUES ('ad-sync', 'ad-sync', '50 * * * *', '{}');
