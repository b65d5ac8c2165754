-- Tenant isolation in the database itself. API requests run as the role nightshift_app, which is
-- subject to row-level security, with the caller's tenant in the transaction-local setting
-- nightshift.tenant_id: a query that forgot its tenant filter still sees only its own tenant.
-- System work (migrations, the scheduled cycle over every tenant, the demo loader) runs as the
-- connecting owner role, which row-level security does not restrict.

-- Roles belong to the whole server, not to one database: another database on the same server
-- (or a migration running at the same moment) may have created it already. Creating it needs
-- CREATEROLE; without it, an administrator creates the role and grants it to the migrating user.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nightshift_app') THEN
    CREATE ROLE nightshift_app NOLOGIN;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
  WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'cannot create role nightshift_app: run CREATE ROLE nightshift_app NOLOGIN; GRANT nightshift_app TO %; as an administrator, then migrate again', current_user;
END
$$;

-- API transactions switch to nightshift_app (SET LOCAL ROLE), so the connecting role must be a
-- member. A superuser (PGlite's only user) may switch to any role already.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'nightshift_app', 'MEMBER') THEN
    EXECUTE format('GRANT nightshift_app TO %I', current_user);
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE EXCEPTION 'cannot grant role nightshift_app to %: run GRANT nightshift_app TO %; as an administrator, then migrate again', current_user, current_user;
END
$$;

GRANT USAGE ON SCHEMA public TO nightshift_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO nightshift_app;
REVOKE ALL ON nightshift_migrations FROM nightshift_app;
-- Tables of later migrations too (default privileges of the role that runs the migrations).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO nightshift_app;

-- The tenant of the current transaction; NULL (no rows at all) when none was set.
CREATE FUNCTION current_tenant_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('nightshift.tenant_id', true), '')::uuid $$;

-- Every table with a tenant_id column: rows of the current tenant only, for reads and writes.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
     WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE'
     ORDER BY c.table_name
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.table_name);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id())',
      t.table_name
    );
  END LOOP;
END
$$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = current_tenant_id()) WITH CHECK (id = current_tenant_id());

-- People are global (one person may belong to several tenants); a tenant sees its own members.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_members_only ON users USING (
  EXISTS (SELECT 1 FROM tenant_members m WHERE m.user_id = users.id AND m.tenant_id = current_tenant_id())
);

-- Views run with their owner's rights unless told otherwise, which would bypass the policies.
ALTER VIEW campaign_performance SET (security_invoker = true);
