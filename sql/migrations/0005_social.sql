-- Social publishing: connected platform accounts and scheduled posts of campaigns.

CREATE TABLE social_accounts (
  tenant_id                uuid NOT NULL REFERENCES tenants (id),
  id                       uuid NOT NULL DEFAULT gen_random_uuid(),
  platform                 text NOT NULL CHECK (platform IN ('facebook', 'instagram', 'twitter')),
  account_name             text NOT NULL,
  external_account_id      text NOT NULL,
  -- Tokens are AES-256-GCM ciphertexts (src/crypto/token-cipher.ts), never plain text.
  access_token_ciphertext  text NOT NULL,
  refresh_token_ciphertext text,
  token_expires_at         timestamptz,
  status                   text NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'needs_reconnect', 'disconnected')),
  status_reason            text,
  connected_at             timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, platform, external_account_id)
);

CREATE TABLE campaign_schedules (
  tenant_id         uuid NOT NULL,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id       uuid NOT NULL,
  action_id         uuid,
  scheduled_for     timestamptz NOT NULL,
  platforms         text[] NOT NULL CHECK (platforms <@ ARRAY['facebook', 'instagram', 'twitter']::text[]),
  -- What is posted: title, copy, image, call to action, link with UTM parameters.
  content           jsonb NOT NULL DEFAULT '{}'::jsonb,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posting', 'posted', 'failed', 'cancelled')),
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error        text,
  -- Per platform, the id the platform gave the post; written before the row is marked posted.
  platform_post_ids jsonb NOT NULL DEFAULT '{}'::jsonb,
  posted_at         timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, action_id) REFERENCES autonomous_actions (tenant_id, id)
);
-- The dispatcher claims due rows across tenants.
CREATE INDEX campaign_schedules_due_idx ON campaign_schedules (scheduled_for) WHERE status = 'pending';
CREATE INDEX campaign_schedules_campaign_idx ON campaign_schedules (tenant_id, campaign_id, created_at DESC);
