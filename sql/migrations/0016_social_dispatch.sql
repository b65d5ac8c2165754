-- The social post dispatcher's bookkeeping, per platform of a scheduled post.
-- platform_post_ids keeps its meaning (per platform, the id of the post people see, written only
-- once the platform confirmed it); publish_attempts says what the dispatcher did before that:
--   { "<platform>": { "started_at": iso,      -- set, and committed, before each call to the platform
--                     "post_ids": [ids],      -- posts already made (the parts of an X thread so far)
--                     "failed": "reason" } }  -- the platform failed for good: retries skip it
-- A started_at without a post id means a call may have posted without us knowing (a crash, a
-- timeout): the next attempt looks the post up on the platform before publishing again.
ALTER TABLE campaign_schedules ADD COLUMN publish_attempts jsonb NOT NULL DEFAULT '{}'::jsonb;

-- Rows left 'posting' by a dispatcher that died are claimed again once stale.
CREATE INDEX campaign_schedules_posting_idx ON campaign_schedules (updated_at) WHERE status = 'posting';
