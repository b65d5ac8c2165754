-- OAuth consent for ad accounts (docs/ad-platforms.md): a connection started from the dashboard
-- waits here for the browser to come back from Meta or Google. The state is single-use (used_at),
-- expires (expires_at, ten minutes), belongs to a tenant (row-level security) and to the user who
-- started it, and is bound to that user's browser by a cookie. Only digests are stored: neither
-- the state nor the cookie can be read back from the table and replayed.
CREATE TABLE ad_oauth_states (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  platform      text NOT NULL CHECK (platform IN ('meta', 'google_ads')),
  -- SHA-256 (hex) of the state sent to the platform, and of the browser cookie set at the start.
  state_digest  text NOT NULL,
  browser_digest text NOT NULL,
  started_by    uuid REFERENCES users (id),
  -- Exactly the redirect URI the authorization URL named: the code exchange must repeat it.
  redirect_uri  text NOT NULL,
  -- What the person chose at the start (the account id, settings); never a secret.
  request       jsonb NOT NULL DEFAULT '{}'::jsonb,
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, state_digest)
);
ALTER TABLE ad_oauth_states ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ad_oauth_states
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
