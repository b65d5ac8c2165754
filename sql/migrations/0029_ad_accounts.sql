-- Ad platforms (docs/ad-platforms.md): a tenant's connected ad accounts on Meta and Google Ads, and
-- the link from a Nightshift campaign to the platform's campaign whose stats it reads and whose
-- status and budget it changes.

CREATE TABLE ad_accounts (
  tenant_id              uuid NOT NULL REFERENCES tenants (id),
  id                     uuid NOT NULL DEFAULT gen_random_uuid(),
  platform               text NOT NULL CHECK (platform IN ('meta', 'google_ads')),
  -- Meta's ad account id without 'act_'; Google's customer id, digits only.
  external_account_id    text NOT NULL CHECK (external_account_id ~ '^[0-9]{1,20}$'),
  -- As the platform names and denominates the account at the last test of the connection.
  name                   text NOT NULL,
  currency               text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  time_zone              text,
  -- The credentials as JSON, AES-256-GCM encrypted (src/crypto/token-cipher.ts), never plain text:
  -- Meta's access token; Google's refresh token, client id and secret, developer token.
  credentials_ciphertext text NOT NULL,
  -- What is read and how (Meta's conversion action, the attribution window, Google's
  -- login-customer-id): src/contract/ad-accounts.ts.
  settings               jsonb NOT NULL DEFAULT '{}'::jsonb,
  status                 text NOT NULL DEFAULT 'connected'
                         CHECK (status IN ('connected', 'needs_reconnect', 'disconnected')),
  -- The platform's words when the account was last refused or could not be reached.
  status_reason          text,
  last_tested_at         timestamptz,
  connected_by           uuid REFERENCES users (id),
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, platform, external_account_id)
);
ALTER TABLE ad_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ad_accounts
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
