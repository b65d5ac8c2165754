// Concurrent stats batches over the same campaigns and days, on separate connections, must all
// commit (no deadlock in the upsert or the rollup trigger) and leave the rollups equal to the rows.
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/postgres.ts';
import { upsertStats } from '../src/db/repositories/stats.ts';
import type { StatRow } from '../src/domain/metrics.ts';
import { createCampaign, createTenant } from './support/scenario.ts';
import { postgresTestUrl } from './support/test-db.ts';

const CHANNELS = ['email', 'sms', 'meta_ads', 'google_ads'];

describe('concurrent stats batches', () => {
  it('commit without deadlocks, however their rows are ordered, and the rollups add up', async () => {
    const dbs = await Promise.all([0, 1, 2, 3].map(() => openPostgres(postgresTestUrl())));
    try {
      const t = await createTenant(dbs[0]!);
      const campaigns = await Promise.all(
        Array.from({ length: 40 }, () => createCampaign(dbs[0]!, t, { budget: 10, hoursRunning: 24 })),
      );
      // Each connection writes its own channel for every campaign and day: the rows differ, the
      // rollup rows (campaign, day) are shared; half the batches run in reverse order.
      const batch = (channel: string, reverse: boolean): StatRow[] => {
        const rows = campaigns.flatMap((campaign_id) =>
          Array.from({ length: 10 }, (_, d) => ({
            campaign_id,
            stat_date: `2026-11-${String(d + 1).padStart(2, '0')}`,
            channel,
            impressions: 0,
            sends: 0,
            opens: 0,
            clicks: 1,
            replies: 0,
            meetings: 0,
            conversions: 0,
            spend: 1,
            revenue: 0,
          })),
        );
        return reverse ? rows.reverse() : rows;
      };
      for (let round = 0; round < 5; round++) {
        await Promise.all(
          dbs.map((db, i) =>
            db.transaction((s) => upsertStats(s, t.tenantId, batch(`${CHANNELS[i]}_${round}`, i % 2 === 1))),
          ),
        );
      }
      const [totals] = await dbs[0]!.session((s) =>
        s.query<{ clicks: number; days: number }>(
          `SELECT sum(clicks)::int AS clicks, count(*)::int AS days FROM campaign_daily_totals WHERE tenant_id = $1`,
          [t.tenantId],
        ),
      );
      expect(totals).toEqual({ clicks: 5 * 4 * 40 * 10, days: 40 * 10 });
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
