-- Messages that really go out (docs/delivery.md): the tenant's senders, each recipient's place in
-- the campaign's sequence, one row per message sent, what recipients did, and who must never be
-- sent to again. Owned by src/delivery/ (its repositories under src/db/repositories/delivery-*.ts).

-- How a tenant sends: at most one e-mail sender (SMTP) and one SMS sender (Twilio). What is not
-- secret is in settings (host, port, from address, DKIM domain and selector, rate, Twilio account
-- and number); the SMTP password, the DKIM private key and the Twilio auth token are in secrets,
-- encrypted with NIGHTSHIFT_ENCRYPTION_KEY (AES-256-GCM, src/crypto/token-cipher.ts).
CREATE TABLE message_senders (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  settings    jsonb NOT NULL,
  secrets     text NOT NULL,
  -- 'needs_attention': the provider refused the credentials; nothing is sent until they change.
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_attention', 'disabled')),
  last_error  text,
  -- The last "send a test message": when, and what came of it.
  tested_at   timestamptz,
  test_result text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, channel)
);
ALTER TABLE message_senders ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON message_senders
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- A recipient's place in the sequence. The campaign's steps are its active e-mail and SMS assets in
-- step_index order; next_step_index is the least step index still to send, and the next step is due
-- delay_hours (read at claim time, so a delay the CMO loop tunes applies to those already waiting)
-- after waiting_since: the launch, or the previous step's send. When two active steps share a
-- step index, the first by id is the step and the other is never sent.
--   waiting: the next step is due at waiting_since + its delay;
--   sending: a worker has claimed the next step (its campaign_messages row says how far it got);
--   ended:   nothing more goes to this recipient (ended_reason says why).
ALTER TABLE campaign_recipients
  ADD COLUMN next_step_index integer NOT NULL DEFAULT 0 CHECK (next_step_index >= 0),
  ADD COLUMN sequence_state  text NOT NULL DEFAULT 'waiting' CHECK (sequence_state IN ('waiting', 'sending', 'ended')),
  ADD COLUMN waiting_since   timestamptz NOT NULL DEFAULT now(),
  -- SMS quiet hours: the step waits for the contact's morning even when its delay is over.
  ADD COLUMN not_before      timestamptz,
  ADD COLUMN ended_reason    text CHECK (ended_reason IN (
    'completed', 'replied', 'bounced', 'unsubscribed', 'complained', 'stopped', 'suppressed', 'no_address', 'failed'));
-- The recipient's furthest point in the funnel: clicked and suppressed join the seed's states.
ALTER TABLE campaign_recipients DROP CONSTRAINT campaign_recipients_status_check;
ALTER TABLE campaign_recipients ADD CONSTRAINT campaign_recipients_status_check
  CHECK (status IN ('queued', 'sent', 'delivered', 'opened', 'clicked', 'replied', 'bounced', 'unsubscribed', 'failed', 'suppressed'));
-- The worker's claim: a campaign's recipients waiting for a step, longest-waiting first.
CREATE INDEX campaign_recipients_waiting_idx ON campaign_recipients (tenant_id, campaign_id, next_step_index, waiting_since)
  WHERE sequence_state = 'waiting';
-- Whether a campaign still has anyone to send to (it completes when not).
CREATE INDEX campaign_recipients_open_idx ON campaign_recipients (tenant_id, campaign_id)
  WHERE sequence_state <> 'ended';

-- One row per (campaign, contact, step): written before the message is handed to the transport,
-- and unique, so a step can never go to a contact twice whatever the workers do.
--   sending:     claimed and being sent (claimed_at says since when);
--   deferred:    the transport failed in a way worth retrying; tried again from retry_at;
--   sent:        the SMTP server or Twilio accepted it (provider_id: our Message-ID, Twilio's SID);
--   unconfirmed: a worker died between handing it over and hearing back, and the provider cannot
--                be asked (SMTP): not sent again; an event naming it (a reply, a bounce, an open)
--                proves it went out;
--   delivered:   the provider reported delivery (Twilio);
--   bounced / failed: it did not arrive, or could not be sent (error says why);
--   suppressed:  the contact was suppressed between the claim and the send: nothing went out.
CREATE TABLE campaign_messages (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id     uuid NOT NULL,
  contact_id      uuid NOT NULL,
  step_index      integer NOT NULL CHECK (step_index >= 0),
  asset_id        uuid NOT NULL,
  variant_id      uuid NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
  to_address      text NOT NULL,
  status          text NOT NULL DEFAULT 'sending'
                  CHECK (status IN ('sending', 'deferred', 'sent', 'unconfirmed', 'delivered', 'bounced', 'failed', 'suppressed')),
  provider_id     text,
  -- The links of the rendered message, in order: the click endpoint redirects only to one of these.
  links           text[] NOT NULL DEFAULT '{}',
  -- An SMS as sent: what a person sees, and what finds it on Twilio when the answer was lost.
  sms_body        text,
  attempts        integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  retry_at        timestamptz,
  error           text,
  claimed_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  delivered_at    timestamptz,
  opened_at       timestamptz,
  clicked_at      timestamptz,
  replied_at      timestamptz,
  bounced_at      timestamptz,
  unsubscribed_at timestamptz,
  complained_at   timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, campaign_id, contact_id, step_index),
  FOREIGN KEY (tenant_id, campaign_id, contact_id) REFERENCES campaign_recipients (tenant_id, campaign_id, contact_id),
  FOREIGN KEY (tenant_id, asset_id) REFERENCES content_assets (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES content_variants (tenant_id, id)
);
-- Claims left 'sending' by a worker that died, and deferred messages coming due.
CREATE INDEX campaign_messages_unfinished_idx ON campaign_messages (tenant_id, claimed_at)
  WHERE status IN ('sending', 'deferred');
-- Twilio's status callbacks name the message by its SID.
CREATE INDEX campaign_messages_provider_idx ON campaign_messages (tenant_id, provider_id) WHERE provider_id IS NOT NULL;
-- An inbound SMS (a reply, a STOP) answers the last message sent to its number.
CREATE INDEX campaign_messages_sms_to_idx ON campaign_messages (tenant_id, to_address, sent_at) WHERE channel = 'sms';
ALTER TABLE campaign_messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON campaign_messages
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- What recipients (and providers) said about a message, as it arrived: appended by the tracking
-- endpoints and hooks (a short insert each, no lock on a shared row), and folded set-based into the
-- messages, the recipients, the variants' counters and campaign_channel_stats_daily by
-- src/delivery/fold-events.ts, which stamps folded_at.
CREATE TABLE message_events (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  message_id  uuid NOT NULL,
  kind        text NOT NULL CHECK (kind IN (
    'delivered', 'opened', 'clicked', 'replied', 'bounced', 'soft_bounced', 'complained', 'unsubscribed', 'stopped', 'failed')),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  -- Kind-specific: the link index clicked, the DSN status, the provider's error code.
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
  folded_at   timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, message_id) REFERENCES campaign_messages (tenant_id, id)
);
CREATE INDEX message_events_unfolded_idx ON message_events (tenant_id, occurred_at) WHERE folded_at IS NULL;
CREATE INDEX message_events_message_idx ON message_events (tenant_id, message_id);
ALTER TABLE message_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON message_events
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- Addresses never to send to again, per tenant and channel: checked set-based at every claim.
-- An address is lower-cased e-mail or an E.164 phone number. The first reason recorded stays.
CREATE TABLE suppressions (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  channel    text NOT NULL CHECK (channel IN ('email', 'sms')),
  address    text NOT NULL CHECK (length(address) BETWEEN 3 AND 320),
  reason     text NOT NULL CHECK (reason IN ('unsubscribed', 'hard_bounce', 'complaint', 'sms_stop', 'manual')),
  -- The message that led to it, when one did.
  message_id uuid,
  note       text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel, address)
);
ALTER TABLE suppressions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON suppressions
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- The delivery worker and the event fold run every minute, one job per tenant.
INSERT INTO job_schedules (name, task, cron, data) VALUES
  ('message-delivery', 'message-delivery', '* * * * *', '{}'),
  ('message-events', 'message-events', '* * * * *', '{}');
