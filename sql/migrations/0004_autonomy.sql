-- Autonomous operations: editable rules, cycle runs, the action ledger, detected opportunities,
-- content optimizations, and alerts.

CREATE TABLE autonomous_rules (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  rule_name   text NOT NULL CHECK (length(rule_name) BETWEEN 1 AND 200),
  rule_type   text NOT NULL CHECK (rule_type IN ('pause', 'scale', 'notify', 'post')),
  description text,
  priority    integer NOT NULL DEFAULT 50 CHECK (priority BETWEEN 0 AND 1000),
  is_active   boolean NOT NULL DEFAULT true,
  -- Whitelisted metric/window/operator/threshold terms and gates; validated by the application.
  condition   jsonb NOT NULL,
  action      jsonb NOT NULL,
  created_by  uuid REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, rule_name)
);

-- One row per run of the autonomous cycle for a tenant: what it decided, what guardrails stopped.
CREATE TABLE autonomous_cycles (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  triggered_by text NOT NULL DEFAULT 'schedule' CHECK (triggered_by IN ('schedule', 'user', 'api', 'cli')),
  dry_run      boolean NOT NULL DEFAULT false,
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  -- The seed's summary shape (actions_taken counts) plus guardrail stops and suggestions.
  summary      jsonb NOT NULL DEFAULT '{}'::jsonb,
  error        text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX autonomous_cycles_recent_idx ON autonomous_cycles (tenant_id, started_at DESC);

-- The ledger: one row per decision. Rows are never deleted, only moved through statuses.
CREATE TABLE autonomous_actions (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id      uuid NOT NULL,
  rule_id          uuid,
  cycle_id         uuid,
  action_type      text NOT NULL CHECK (action_type ~ '^[a-z][a-z0-9_]{0,63}$'),
  reason           text NOT NULL,
  previous_state   jsonb NOT NULL DEFAULT '{}'::jsonb,
  new_state        jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- A probability in [0, 1] computed from the data (docs/confidence.md).
  confidence_score numeric(6, 5) CHECK (confidence_score BETWEEN 0 AND 1),
  expected_impact  text,
  actual_impact    jsonb,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'executed', 'rolled_back', 'failed', 'dismissed')),
  error            text,
  decided_by       uuid REFERENCES users (id),
  executed_at      timestamptz,
  rolled_back_at   timestamptz,
  rolled_back_by   uuid REFERENCES users (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, rule_id) REFERENCES autonomous_rules (tenant_id, id),
  FOREIGN KEY (tenant_id, cycle_id) REFERENCES autonomous_cycles (tenant_id, id)
);
CREATE INDEX autonomous_actions_campaign_idx ON autonomous_actions (tenant_id, campaign_id, created_at DESC);
CREATE INDEX autonomous_actions_recent_idx ON autonomous_actions (tenant_id, created_at DESC);

CREATE TABLE optimization_opportunities (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id      uuid NOT NULL,
  opportunity_type text NOT NULL CHECK (opportunity_type IN (
                     'low_conversion', 'high_traffic_low_conversion', 'declining_performance',
                     'creative_fatigue', 'budget_inefficiency', 'audience_mismatch', 'timing_optimization')),
  severity         text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
  description      text NOT NULL,
  suggested_action text NOT NULL,
  confidence_score numeric(6, 5) CHECK (confidence_score BETWEEN 0 AND 1),
  evidence         jsonb NOT NULL DEFAULT '{}'::jsonb,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved', 'dismissed')),
  detected_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at     timestamptz NOT NULL DEFAULT now(),
  resolved_at      timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);
-- One live opportunity per campaign and type: detection across cycles upserts, never duplicates.
CREATE UNIQUE INDEX optimization_opportunities_live_uq
  ON optimization_opportunities (tenant_id, campaign_id, opportunity_type)
  WHERE status IN ('open', 'in_progress');

-- Changes the CMO optimizer made (or suggested) to a campaign's content and sequence.
CREATE TABLE campaign_optimizations (
  tenant_id         uuid NOT NULL,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id       uuid NOT NULL,
  action_id         uuid,
  agent_run_id      uuid,
  optimization_type text NOT NULL CHECK (optimization_type IN (
                      'email_subject', 'email_body', 'sms_copy', 'voice_script', 'delay', 'kill_variant', 'other')),
  target_asset_id   uuid,
  target_variant_id uuid,
  previous_value    jsonb,
  new_value         jsonb,
  rationale         text,
  status            text NOT NULL DEFAULT 'suggested' CHECK (status IN ('suggested', 'applied', 'rolled_back', 'dismissed')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  applied_at        timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, action_id) REFERENCES autonomous_actions (tenant_id, id),
  FOREIGN KEY (tenant_id, target_asset_id) REFERENCES content_assets (tenant_id, id),
  FOREIGN KEY (tenant_id, target_variant_id) REFERENCES content_variants (tenant_id, id)
);
CREATE INDEX campaign_optimizations_campaign_idx ON campaign_optimizations (tenant_id, campaign_id, created_at DESC);

CREATE TABLE alerts (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id uuid,
  alert_type  text NOT NULL CHECK (alert_type ~ '^[a-z][a-z0-9_]{0,63}$'),
  severity    text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  message     text NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Makes raising the same alert twice a no-op (e.g. 'underperforming:<campaign>:<day>').
  dedupe_key  text NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, dedupe_key),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);
