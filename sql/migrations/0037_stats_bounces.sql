-- Bounces per campaign, channel and UTC day: messages Nightshift's own delivery sent that were
-- refused for good, when sent (the SMTP server or Twilio said no) or reported back later (a DSN,
-- Twilio's 'undelivered'), each message once, on the day its first bounce was recorded
-- (src/db/repositories/delivery-messages.ts, delivery-events.ts).
--
-- A delivery figure, not a reported one (src/domain/metrics.ts, DELIVERY_METRICS): no ad platform
-- reports it and no rule tests it, so the performance rollups, their windows and the replay
-- versions (0007, 0023, 0027) do not carry it, and a stats POST leaves it as delivery wrote it.
ALTER TABLE campaign_channel_stats_daily ADD COLUMN bounces bigint NOT NULL DEFAULT 0 CHECK (bounces >= 0);

-- The bounces delivery recorded before this column: each bounced message once, on the day of its
-- bounce. updated_at is left alone: no report time changes, so no replay version is kept (0027).
INSERT INTO campaign_channel_stats_daily AS st (tenant_id, campaign_id, stat_date, channel, bounces)
SELECT tenant_id, campaign_id, (bounced_at AT TIME ZONE 'UTC')::date, channel, count(*)
  FROM campaign_messages WHERE bounced_at IS NOT NULL
 GROUP BY 1, 2, 3, 4
ON CONFLICT (tenant_id, campaign_id, stat_date, channel) DO UPDATE SET bounces = excluded.bounces;

-- Summaries stored before bounces were counted say so: null, as a figure that was not measured.
UPDATE weekly_summaries
   SET summary = jsonb_set(summary, '{totals,bounces}',
                           '{"this_week": null, "previous_week": null, "change": null, "change_pct": null}')
 WHERE NOT summary->'totals' ? 'bounces';
