// Row-level security (migration 0011): through a tenant-scoped database, a query without any
// tenant filter sees and writes only that tenant's rows, and the engine still works inside it.
import { describe, expect, it } from 'vitest';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { TenantNotFoundError } from '../src/engine/plan-cycle.ts';
import {
  addStats,
  createCampaign,
  createTenant,
  NOW,
  pauseScaleSuggestWorld,
  steadyDays,
  type TestTenant,
} from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

describe('tenant isolation by row-level security', () => {
  const testDb = useTestDb();

  async function twoTenants() {
    const a = await createTenant(testDb());
    const b = await createTenant(testDb());
    for (const [t, n] of [
      [a, 2],
      [b, 3],
    ] as [TestTenant, number][]) {
      for (let i = 0; i < n; i++) {
        const id = await createCampaign(testDb(), t, { budget: 100, hoursRunning: 72 });
        await addStats(testDb(), t, id, steadyDays(3, { spend: 40, revenue: 10 }));
      }
    }
    return { a, b };
  }

  it('a query that forgot its tenant filter sees only the scoped tenant', async () => {
    const { a, b } = await twoTenants();
    const counts = (t: TestTenant) =>
      tenantScoped(testDb(), t.tenantId).session(async (s) => {
        const [row] = await s.query<{ campaigns: number; stats: number; tenants: number; performance: number }>(
          `SELECT (SELECT count(*) FROM campaigns)::int AS campaigns,
                  (SELECT count(*) FROM campaign_channel_stats_daily)::int AS stats,
                  (SELECT count(*) FROM tenants)::int AS tenants,
                  (SELECT count(*) FROM campaign_performance)::int AS performance`,
        );
        return row;
      });
    expect(await counts(a)).toEqual({ campaigns: 2, stats: 6, tenants: 1, performance: 2 });
    expect(await counts(b)).toEqual({ campaigns: 3, stats: 9, tenants: 1, performance: 3 });
    // The unscoped (system) database still sees everything.
    const [all] = await testDb().session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM campaigns WHERE tenant_id = ANY ($1)', [
        [a.tenantId, b.tenantId],
      ]),
    );
    expect(all!.n).toBe(5);
  });

  it("refuses to write another tenant's rows and changes nothing", async () => {
    const { a, b } = await twoTenants();
    const write = tenantScoped(testDb(), a.tenantId).session((s) =>
      s.query("INSERT INTO campaigns (tenant_id, workspace_id, title) VALUES ($1, $2, 'Intruder')", [
        b.tenantId,
        b.workspaceId,
      ]),
    );
    await expect(write).rejects.toThrow(/row-level security/);
    const updated = await tenantScoped(testDb(), a.tenantId).session((s) =>
      s.query("UPDATE campaigns SET title = 'Renamed' WHERE tenant_id = $1 RETURNING id", [b.tenantId]),
    );
    expect(updated).toEqual([]);
    const [row] = await testDb().session((s) =>
      s.query<{ n: number }>("SELECT count(*)::int AS n FROM campaigns WHERE tenant_id = $1 AND title = 'Campaign'", [
        b.tenantId,
      ]),
    );
    expect(row!.n).toBe(3);
  });

  it('the engine runs inside a tenant scope, and cannot reach another tenant from it', async () => {
    const a = await createTenant(testDb());
    const b = await createTenant(testDb());
    await pauseScaleSuggestWorld(testDb(), a);
    const result = await runCycle(tenantScoped(testDb(), a.tenantId), a.tenantId, { now: NOW });
    expect(result.actions_taken).toMatchObject({ campaigns_paused: 1, campaigns_scaled: 1 });
    expect(result.suggestions_created).toBe(1);
    await expect(runCycle(tenantScoped(testDb(), a.tenantId), b.tenantId, { now: NOW })).rejects.toBeInstanceOf(
      TenantNotFoundError,
    );
  });

  it('every table with a tenant_id has row-level security and a policy', async () => {
    const rows = await testDb().session((s) =>
      s.query<{ table_name: string }>(
        `SELECT c.relname AS table_name
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r'
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
            AND (NOT c.relrowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))`,
      ),
    );
    expect(rows).toEqual([]);
  });
});
