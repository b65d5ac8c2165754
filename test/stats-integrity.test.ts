// The daily stats and their per-day totals keep no foreign key of their own (migration 0020): the
// rollup trigger writes a campaign_rollups row for every campaign a statement touches, and that
// table's foreign key is what refuses stats for a campaign that does not exist and a campaign
// deletion that would orphan stats. These are the guarantees the dropped keys gave.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { addStats, createCampaign, createTenant, steadyDays, type TestTenant } from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const FOREIGN_KEY_VIOLATION = { code: '23503' };

describe('stats keep to existing campaigns without a foreign key per row', () => {
  const testDb = useTestDb();

  const insertStats = (db: Database, tenantId: string, campaignIds: string[]) =>
    db.session((s) =>
      s.query(
        `INSERT INTO campaign_channel_stats_daily (tenant_id, campaign_id, stat_date, channel, sends)
         SELECT $1, id, '2026-01-01', 'email', 10 FROM unnest($2::uuid[]) AS id`,
        [tenantId, campaignIds],
      ),
    );

  const counts = (tenantId: string) =>
    testDb().session(async (s) => {
      const [row] = await s.query<{ stats: number; totals: number; rollups: number }>(
        `SELECT (SELECT count(*) FROM campaign_channel_stats_daily WHERE tenant_id = $1)::int AS stats,
                (SELECT count(*) FROM campaign_daily_totals WHERE tenant_id = $1)::int AS totals,
                (SELECT count(*) FROM campaign_rollups WHERE tenant_id = $1)::int AS rollups`,
        [tenantId],
      );
      return row!;
    });

  async function tenantWithCampaign(): Promise<{ t: TestTenant; campaign: string }> {
    const t = await createTenant(testDb());
    return { t, campaign: await createCampaign(testDb(), t, { budget: 100, hoursRunning: 48 }) };
  }

  it('refuses a statement with any row for a campaign that does not exist, writing none of it', async () => {
    const { t, campaign } = await tenantWithCampaign();
    await expect(insertStats(testDb(), t.tenantId, [campaign, randomUUID()])).rejects.toMatchObject(
      FOREIGN_KEY_VIOLATION,
    );
    expect(await counts(t.tenantId)).toEqual({ stats: 0, totals: 0, rollups: 0 });
  });

  it('refuses stats for another tenant’s campaign, also once the campaign has stats of its own', async () => {
    const a = await tenantWithCampaign();
    const b = await tenantWithCampaign();
    await insertStats(testDb(), b.t.tenantId, [b.campaign]);
    await expect(insertStats(testDb(), a.t.tenantId, [b.campaign])).rejects.toMatchObject(FOREIGN_KEY_VIOLATION);
    await expect(insertStats(tenantScoped(testDb(), a.t.tenantId), a.t.tenantId, [b.campaign])).rejects.toThrow();
    expect(await counts(a.t.tenantId)).toEqual({ stats: 0, totals: 0, rollups: 0 });
    expect(await counts(b.t.tenantId)).toEqual({ stats: 1, totals: 1, rollups: 1 });
  });

  it('refuses to delete a campaign that has stats', async () => {
    const { t, campaign } = await tenantWithCampaign();
    await addStats(testDb(), t, campaign, steadyDays(3, { spend: 10, revenue: 5 }));
    await expect(
      testDb().session((s) =>
        s.query('DELETE FROM campaigns WHERE tenant_id = $1 AND id = $2', [t.tenantId, campaign]),
      ),
    ).rejects.toMatchObject(FOREIGN_KEY_VIOLATION);
    expect(await counts(t.tenantId)).toEqual({ stats: 3, totals: 3, rollups: 1 });
  });

  it('a campaign without stats can still be deleted', async () => {
    const { t, campaign } = await tenantWithCampaign();
    await testDb().session((s) =>
      s.query('DELETE FROM campaigns WHERE tenant_id = $1 AND id = $2', [t.tenantId, campaign]),
    );
    const [left] = await testDb().session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM campaigns WHERE tenant_id = $1', [t.tenantId]),
    );
    expect(left!.n).toBe(0);
  });
});
