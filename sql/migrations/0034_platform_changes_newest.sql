-- The list of a tenant's platform changes (GET /api/platform-changes) pages newest first by
-- (created_at, id), as every list does (src/db/newest-first-page.ts): this index walks it from the
-- cursor on instead of sorting every change the tenant ever queued.
CREATE INDEX platform_changes_newest_idx ON platform_changes (tenant_id, created_at, id);
