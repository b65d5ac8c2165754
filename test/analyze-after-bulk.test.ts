// Planner statistics after bulk writes (src/db/analyze-after-bulk.ts, migration 0024): a stats
// batch or a contacts import that at least doubles a table (as its statistics count it) has it
// analyzed in the request's own transaction, although requests run as nightshift_app, which may
// not ANALYZE; a smaller batch does not pay for an ANALYZE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { createCampaign, createTenant, type TestTenant } from './support/scenario.ts';
import { type ApiClient, apiClient, startTestApi, type TestApi, tokenFor } from './support/test-api.ts';
import { backend } from './support/test-db.ts';

const CAMPAIGNS = 100;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

describe('statistics after bulk writes', () => {
  let db: Database;
  let api: TestApi;
  let t: TestTenant;
  let member: ApiClient;
  let campaigns: string[];

  beforeAll(async () => {
    // A database of its own: what is analyzed when depends on the tables' whole contents.
    db = await freshDatabase();
    if (backend === 'postgres') {
      // Autovacuum would analyze the tables on its own within a minute, or hold them as we try.
      await db.session((s) =>
        s.exec(`ALTER TABLE campaign_channel_stats_daily SET (autovacuum_enabled = false);
                ALTER TABLE contacts SET (autovacuum_enabled = false);`),
      );
    }
    api = await startTestApi(db);
    t = await createTenant(db);
    member = apiClient(api, await tokenFor(db, t.tenantId, 'member'));
    campaigns = [];
    for (let i = 0; i < CAMPAIGNS; i++) campaigns.push(await createCampaign(db, t, { budget: 100, hoursRunning: 48 }));
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  const statisticsOf = async (table: string) => {
    const [row] = await db.session((s) =>
      s.query<{ reltuples: number }>('SELECT reltuples FROM pg_class WHERE oid = $1::regclass', [table]),
    );
    return row?.reltuples;
  };

  /** Two channels of every campaign on `days` days, from `firstDaysAgo` back: 200 rows a day. */
  const postDays = async (firstDaysAgo: number, days: number) => {
    const rows = Array.from({ length: days }, (_, d) =>
      campaigns.flatMap((campaign_id) =>
        ['email', 'meta_ads'].map((channel) => ({
          campaign_id,
          stat_date: day(firstDaysAgo + d),
          channel,
          impressions: 1000,
          clicks: 10,
          spend: 5,
        })),
      ),
    ).flat();
    const response = await member.post('/api/stats', { rows });
    expect(response.status).toBe(200);
  };

  it('analyzes the stats table after a batch at least as large as its statistics count it', async () => {
    const stats = () => statisticsOf('campaign_channel_stats_daily');
    expect(await stats()).toBe(-1);
    await postDays(0, 50);
    expect(await stats()).toBe(10_000);
    await postDays(50, 5);
    expect(await stats()).toBe(10_000);
    await postDays(55, 50);
    expect(await stats()).toBe(21_000);
    await postDays(105, 50);
    expect(await stats()).toBe(21_000);
  });

  it('analyzes contacts after an import that at least doubled them', async () => {
    const contacts = Array.from({ length: 5_000 }, (_, i) => ({ email: `bulk-${i}@example.com`, first_name: 'Bulk' }));
    const response = await member.post('/api/contacts/import', { contacts });
    expect(response.status).toBe(200);
    expect(response.body.imported).toBe(5_000);
    expect(await statisticsOf('contacts')).toBe(5_000);
  });
});
