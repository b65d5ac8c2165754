// Tenant isolation across the whole API, route by route from the OpenAPI document (a route added
// later is covered without touching this file, or fails it until its resource is known here):
// tenant A's admin calling every route on tenant B's ids gets 404, never B's data in any body, and
// B's rows stay exactly as they were. Underneath, a query as the app role without any tenant
// filter sees only the scoped tenant's rows in every tenant table.
import { describe, expect, it } from 'vitest';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { pathIn, resourceOfPath, tenantFingerprint, tenantTables, useTwoTenantApi } from './support/tenant-world.ts';
import { apiClient, tokenFor } from './support/test-api.ts';
import { VALID_BODIES } from './support/valid-bodies.ts';

interface Operation {
  requestBody?: { content: Record<string, unknown> };
}

describe('tenant isolation across every route', () => {
  const world = useTwoTenantApi<Operation>();
  const testDb = world.db;
  const leaks = (text: string) => world.b().secrets.filter((secret) => text.includes(secret));

  it('answers 404 to tenant A on every route addressing one of tenant B’s rows, and changes nothing of B', async () => {
    const [a, b] = [world.a(), world.b()];
    const before = await tenantFingerprint(testDb(), b.t.tenantId);
    const client = apiClient(world.api(), await tokenFor(testDb(), a.t.tenantId, 'admin'));
    let checked = 0;
    for (const [path, methods] of Object.entries(world.paths())) {
      if (!path.includes('{id}')) continue;
      const kind = resourceOfPath(path);
      expect(kind, `${path}: which resource does its {id} name? (test/support/tenant-world.ts)`).toBeDefined();
      for (const [method, operation] of Object.entries(methods)) {
        const route = `${method.toUpperCase()} ${path}`;
        const body = operation.requestBody ? VALID_BODIES[route] : undefined;
        expect(
          !operation.requestBody || body !== undefined,
          `${route}: add a valid body to test/support/valid-bodies.ts`,
        ).toBe(true);
        const foreign = b.ids[kind!];
        const response = await client.request(method.toUpperCase(), path.replace('{id}', foreign), body);
        expect(response.status, route).toBe(404);
        const text = JSON.stringify(response.body).replaceAll(foreign, '');
        expect(leaks(text), route).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(await tenantFingerprint(testDb(), b.t.tenantId)).toEqual(before);
  });

  it('never shows tenant B’s rows in tenant A’s lists and reads', async () => {
    const a = world.a();
    const client = apiClient(world.api(), await tokenFor(testDb(), a.t.tenantId, 'admin'));
    let checked = 0;
    for (const [path, methods] of Object.entries(world.paths())) {
      if (!methods.get || !path.startsWith('/api/')) continue;
      const url = pathIn(path, a.ids);
      const response = await client.get(url);
      expect(response.status, `GET ${url}`).toBe(200);
      expect(leaks(JSON.stringify(response.body)), `GET ${path}`).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('confines a query without any tenant filter to the scoped tenant, in every tenant table', async () => {
    const [a, b] = [world.a(), world.b()];
    const scoped = tenantScoped(testDb(), a.t.tenantId);
    const tables = await testDb().session(tenantTables);
    expect(tables.length).toBeGreaterThan(20);
    for (const table of tables) {
      const seen = await scoped.session((s) =>
        s.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM "${table}"`),
      );
      expect(
        seen.every((row) => row.tenant_id === a.t.tenantId),
        table,
      ).toBe(true);
    }
    const campaigns = await scoped.session((s) => s.query<{ id: string }>('SELECT id FROM campaigns'));
    expect(campaigns.length).toBeGreaterThan(0);
    expect(campaigns.map((c) => c.id)).not.toContain(b.ids.campaign);
  });
});
