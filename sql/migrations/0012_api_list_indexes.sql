-- The API lists newest first with (created_at, id) as the cursor: these indexes serve a page of any
-- depth by an index range scan instead of sorting the tenant's rows on every request.
CREATE INDEX campaigns_created_idx ON campaigns (tenant_id, created_at DESC, id DESC);
CREATE INDEX contacts_created_idx ON contacts (tenant_id, created_at DESC, id DESC);
CREATE INDEX segments_created_idx ON segments (tenant_id, created_at DESC, id DESC);
CREATE INDEX content_assets_created_idx ON content_assets (tenant_id, created_at DESC, id DESC);
CREATE INDEX optimization_opportunities_detected_idx ON optimization_opportunities (tenant_id, detected_at DESC, id DESC);
-- The ledger filtered by rule (and a rule's delete checks the ledger refers to it no more).
CREATE INDEX autonomous_actions_rule_idx ON autonomous_actions (tenant_id, rule_id, created_at DESC)
  WHERE rule_id IS NOT NULL;
-- A contact import matches rows without an e-mail by phone.
CREATE INDEX contacts_phone_idx ON contacts (tenant_id, phone) WHERE phone IS NOT NULL;
