-- The link from a Nightshift campaign to what it is on an ad platform (docs/ad-platforms.md): a
-- Meta campaign whose budget is its own, a Meta ad set (its campaign has no budget of its own, so
-- the budget a pause or a scale moves is the ad set's), or a Google Ads campaign with its budget.
-- Its stats are read from there and its status and budget changes are made there.
CREATE TABLE campaign_platform_links (
  tenant_id             uuid NOT NULL,
  campaign_id           uuid NOT NULL,
  ad_account_id         uuid NOT NULL,
  external_kind         text NOT NULL CHECK (external_kind IN ('meta_campaign', 'meta_adset', 'google_campaign')),
  external_id           text NOT NULL CHECK (external_id ~ '^[0-9]{1,30}$'),
  -- Meta: the ad set's campaign. Google: the campaign's budget, which other campaigns may share.
  external_parent_id    text CHECK (external_parent_id ~ '^[0-9]{1,30}$'),
  budget_id             text CHECK (budget_id ~ '^[0-9]{1,30}$'),
  -- As the platform held them at the last import or sync, in its own terms: status (ACTIVE,
  -- PAUSED, ENABLED…) and the daily budget in the account currency's minor units (Meta) or micros
  -- (Google); null when the budget is not a daily one.
  platform_status       text NOT NULL,
  platform_daily_budget bigint CHECK (platform_daily_budget >= 0),
  synced_at             timestamptz NOT NULL DEFAULT now(),
  created_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, campaign_id),
  UNIQUE (tenant_id, ad_account_id, external_kind, external_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, ad_account_id) REFERENCES ad_accounts (tenant_id, id)
);
ALTER TABLE campaign_platform_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON campaign_platform_links
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
