// Production servers are migrated by an ordinary owner role, not a superuser: migration 0011 must
// give that role the nightshift_app role it switches to, and row-level security must hold for it.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { createTenant } from './support/scenario.ts';
import { postgresServerUrl } from './support/test-db.ts';

const OWNER = `ns_owner_${process.pid}`;
const DATABASE = `ns_owned_${process.pid}`;

async function asSuperuser(sql: string) {
  const client = new pg.Client(postgresServerUrl());
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('row-level security with a non-superuser owner', () => {
  afterAll(async () => {
    await asSuperuser(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await asSuperuser(`DROP ROLE IF EXISTS ${OWNER}`);
  });

  it('migrates, and a scoped query sees only its tenant', async () => {
    await asSuperuser(`CREATE ROLE ${OWNER} LOGIN PASSWORD 'owner-secret' CREATEROLE`);
    await asSuperuser(`CREATE DATABASE ${DATABASE} OWNER ${OWNER}`);
    const url = new URL(postgresServerUrl());
    url.username = OWNER;
    url.password = 'owner-secret';
    url.pathname = `/${DATABASE}`;
    const db = await openPostgres(url.toString());
    try {
      await migrate(db);
      const a = await createTenant(db);
      const b = await createTenant(db);
      const visible = await tenantScoped(db, a.tenantId).session((s) =>
        s.query<{ id: string }>('SELECT id FROM tenants ORDER BY id'),
      );
      expect(visible).toEqual([{ id: a.tenantId }]);
      expect(b.tenantId).not.toBe(a.tenantId);
    } finally {
      await db.close();
    }
  });
});
