-- Notifications (docs/notifications.md): where a tenant's events go (Slack, e-mail, signed
-- webhooks), which events each destination takes and how often, the outbox of events, and each
-- event's delivery to each destination (the delivery log).

-- A destination: its settings in clear (an e-mail destination's addresses, a webhook's URL), its
-- secrets encrypted (a Slack webhook URL, a webhook's signing secret, Slack's signing secret).
CREATE TABLE notification_destinations (
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  kind                 text NOT NULL CHECK (kind IN ('slack', 'email', 'webhook')),
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  settings             jsonb NOT NULL DEFAULT '{}'::jsonb,
  secrets              text NOT NULL,
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  disabled_reason      text,
  -- Since when every attempt has failed (NULL after a success): the clock of disabling.
  failing_since        timestamptz,
  consecutive_failures integer NOT NULL DEFAULT 0,
  created_by           uuid REFERENCES users (id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE notification_destinations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_destinations
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- Which event types a destination takes, each at once or gathered into an hourly or daily digest
-- (in the tenant's time zone).
CREATE TABLE notification_subscriptions (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  destination_id uuid NOT NULL,
  event_type     text NOT NULL,
  cadence        text NOT NULL DEFAULT 'immediate' CHECK (cadence IN ('immediate', 'hourly', 'daily')),
  PRIMARY KEY (tenant_id, destination_id, event_type),
  FOREIGN KEY (tenant_id, destination_id) REFERENCES notification_destinations (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE notification_subscriptions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_subscriptions
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- The outbox: an event is written in the transaction of what it reports, together with its
-- deliveries to the destinations subscribed to its type (src/notify/outbox.ts); an event no active
-- destination takes is not written at all.
CREATE TABLE notification_events (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  type          text NOT NULL,
  data          jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE notification_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_events
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- One event to one destination: at most one row per pair (the receiver's idempotency key is the
-- event's id). A digest's rows wait until due_at (the end of their hour or day) and go out together.
CREATE TABLE notification_deliveries (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  destination_id   uuid NOT NULL,
  event_id         uuid NOT NULL,
  cadence          text NOT NULL CHECK (cadence IN ('immediate', 'hourly', 'daily')),
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'cancelled')),
  due_at           timestamptz NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  claimed_at       timestamptz,
  -- The retries' 3 days count from here (src/notify/retry-schedule.ts); a resend starts them again.
  first_attempt_at timestamptz,
  last_attempt_at  timestamptz,
  response_status  integer,
  latency_ms       integer,
  error            text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, destination_id, event_id),
  FOREIGN KEY (tenant_id, destination_id) REFERENCES notification_destinations (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, event_id) REFERENCES notification_events (tenant_id, id)
);
CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (tenant_id, due_at)
  WHERE status IN ('pending', 'sending');
CREATE INDEX notification_deliveries_log_idx ON notification_deliveries (tenant_id, destination_id, created_at DESC, id DESC);
ALTER TABLE notification_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_deliveries
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- Due deliveries sent every minute, one job per tenant.
INSERT INTO job_schedules (name, task, cron, data) VALUES ('notifications', 'notifications', '* * * * *', '{}');
