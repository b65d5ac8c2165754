-- Content: assets are the steps of a campaign's sequence (an email, an SMS, a call script, a
-- social post), variants are the competing versions of one step, each with its own counters.

CREATE TABLE content_assets (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL,
  campaign_id      uuid,
  asset_type       text NOT NULL CHECK (asset_type IN ('email', 'sms', 'voice', 'social_post', 'landing_page', 'ad')),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  channel          text CHECK (channel ~ '^[a-z][a-z0-9_]{0,31}$'),
  -- Position in the campaign's sequence and the wait before this step is sent.
  step_index       integer NOT NULL DEFAULT 0 CHECK (step_index >= 0),
  delay_hours      numeric(8, 2) NOT NULL DEFAULT 0 CHECK (delay_hours >= 0),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  -- Set when the daily loop flags the asset as stale, so it is flagged once.
  stale_flagged_at timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);
CREATE INDEX content_assets_campaign_idx ON content_assets (tenant_id, campaign_id);

CREATE TABLE content_variants (
  tenant_id     uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  asset_id      uuid NOT NULL,
  variant_label text NOT NULL DEFAULT 'A' CHECK (length(variant_label) BETWEEN 1 AND 40),
  subject       text,
  body          text,
  sms_copy      text,
  voice_script  text,
  social_post   text,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'killed')),
  killed_at     timestamptz,
  kill_reason   text,
  sends         bigint NOT NULL DEFAULT 0 CHECK (sends >= 0),
  opens         bigint NOT NULL DEFAULT 0 CHECK (opens >= 0),
  clicks        bigint NOT NULL DEFAULT 0 CHECK (clicks >= 0),
  replies       bigint NOT NULL DEFAULT 0 CHECK (replies >= 0),
  meetings      bigint NOT NULL DEFAULT 0 CHECK (meetings >= 0),
  conversions   bigint NOT NULL DEFAULT 0 CHECK (conversions >= 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, asset_id, variant_label),
  FOREIGN KEY (tenant_id, asset_id) REFERENCES content_assets (tenant_id, id)
);

ALTER TABLE campaign_recipients
  ADD FOREIGN KEY (tenant_id, variant_id) REFERENCES content_variants (tenant_id, id);
