-- Tenancy: tenants, users, memberships, workspaces, API keys.
--
-- Distribution model (docs/scaling.md): `tenants` and `users` are reference tables (small,
-- replicated to every node on Citus). Every other table is a tenant table: `tenant_id` leads its
-- primary key and appears in every foreign key, so all of one tenant's rows co-locate on one shard.

CREATE TABLE tenants (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug               text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  currency           char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  timezone           text NOT NULL DEFAULT 'UTC',
  -- The tenant kill switch: false stops every autonomous action for the tenant.
  autonomous_enabled boolean NOT NULL DEFAULT true,
  -- Guardrail settings and other tenant-level knobs; validated by the application (zod).
  settings           jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email        text NOT NULL UNIQUE CHECK (position('@' in email) > 1),
  display_name text,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_members (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  user_id    uuid NOT NULL REFERENCES users (id),
  role       text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX tenant_members_user_idx ON tenant_members (user_id);

CREATE TABLE workspaces (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  slug       text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, slug)
);

-- Machine credentials. Only a hash of the key is stored; the prefix lets a user recognise a key.
CREATE TABLE api_keys (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  key_prefix   text NOT NULL,
  key_hash     text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
  created_by   uuid REFERENCES users (id),
  last_used_at timestamptz,
  expires_at   timestamptz,
  revoked_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, key_hash)
);
CREATE INDEX api_keys_hash_idx ON api_keys (key_hash);
