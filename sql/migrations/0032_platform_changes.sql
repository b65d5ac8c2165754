-- Decisions out to the ad platforms (docs/ad-platforms.md, "Decisions out"): a transactional
-- outbox. A pause, resume, scale, approval or rollback on a linked campaign writes one row here per
-- field it changes, in the transaction that writes its ledger row; a worker (src/services/
-- platform-changes.ts) delivers it and only then moves the ledger row to 'executed' and the local
-- campaign to the new state. Values are in the platform's own terms: Meta's status words and minor
-- units, Google's ENABLED/PAUSED and micros.
CREATE TABLE platform_changes (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  -- The ledger row this change carries out (a rollback's own row for a rollback).
  action_id        uuid NOT NULL,
  -- For a rollback: the action it undoes, marked rolled back once the platform confirms.
  undoes_action_id uuid,
  campaign_id      uuid NOT NULL,
  ad_account_id    uuid NOT NULL,
  platform         text NOT NULL CHECK (platform IN ('meta', 'google_ads')),
  external_kind    text NOT NULL CHECK (external_kind IN ('meta_campaign', 'meta_adset', 'google_campaign')),
  external_id      text NOT NULL CHECK (external_id ~ '^[0-9]{1,30}$'),
  -- Google: the campaign's budget, what a budget change mutates.
  budget_id        text CHECK (budget_id ~ '^[0-9]{1,30}$'),
  field            text NOT NULL CHECK (field IN ('status', 'budget')),
  -- What the platform is expected to hold before and after: a status word, or an integer amount
  -- (minor units on Meta, micros on Google) as digits. from_value is null when it was not known.
  from_value       text,
  to_value         text NOT NULL,
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'confirmed', 'failed')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  -- Why the last attempt did not confirm (the platform's words), or why the row waits.
  last_error       text,
  -- When the current attempt claimed the row: a 'sending' row claimed long ago belongs to a
  -- worker that died, and is read back from the platform before anything is sent again.
  claimed_at       timestamptz,
  confirmed_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, action_id) REFERENCES autonomous_actions (tenant_id, id),
  FOREIGN KEY (tenant_id, undoes_action_id) REFERENCES autonomous_actions (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, ad_account_id) REFERENCES ad_accounts (tenant_id, id)
);
-- The worker's claim: due rows of a tenant, oldest first.
CREATE INDEX platform_changes_due_idx ON platform_changes (tenant_id, next_attempt_at)
  WHERE status IN ('queued', 'sending');
-- One change of a field of a campaign on its way at a time: a second waits for the first's answer.
CREATE UNIQUE INDEX platform_changes_one_in_flight ON platform_changes (tenant_id, campaign_id, field)
  WHERE status IN ('queued', 'sending');
CREATE INDEX platform_changes_action_idx ON platform_changes (tenant_id, action_id);
-- Meta's limit of 4 budget changes per ad set per hour is counted from here.
CREATE INDEX platform_changes_recent_budget_idx ON platform_changes (tenant_id, ad_account_id, external_id, confirmed_at)
  WHERE field = 'budget' AND status = 'confirmed';
ALTER TABLE platform_changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform_changes
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- An action on a linked campaign is accepted ('applying') until the platform confirms it
-- ('executed') or refuses it ('failed', with the platform's words in error).
ALTER TABLE autonomous_actions DROP CONSTRAINT autonomous_actions_status_check;
ALTER TABLE autonomous_actions ADD CONSTRAINT autonomous_actions_status_check
  CHECK (status IN ('pending', 'applying', 'executed', 'rolled_back', 'failed', 'dismissed', 'superseded'));

-- The delivery worker runs every minute, like the social dispatcher (one job per tenant).
INSERT INTO job_schedules (name, task, cron, data) VALUES
  ('ad-platform-changes', 'ad-platform-changes', '* * * * *', '{}');
