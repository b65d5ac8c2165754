-- The API lists newest first with (created_at, id) as the cursor: these indexes serve a page of any
-- depth by an index range scan instead of sorting the tenant's rows on every request.
CREATE INDEX campaigns_created_idx ON campaigns (tenant_id, created_at DESC, id DESC);
CREATE INDEX contacts_created_idx ON contacts (tenant_id, created_at DESC, id DESC);
