// Benchmark: the demo generator at scale on a Postgres server (issue: 100k campaigns x 30 days x
// 3 channels = ~9M stat rows "in minutes, not hours").
//
// Side by side in one run, on one server:
//   ours  - `loadDemo`: draw every value in Node with seeded distributions, stream CSV over COPY,
//           one transaction per tenant (campaigns, stats, contacts, segments, content);
//   limit - the same number of stat rows generated inside Postgres by one INSERT ... SELECT over
//           generate_series (no client, no transfer): the floor for writing these rows and indexes.
// No peer: the issue names none for data generation; the figure asked for is the time itself.
// Not every demo campaign has stats (drafts and scheduled ones have not started; some started a
// few days ago), so 100k campaigns give ~7.4M stat rows; --campaigns 1215 gives ~9M.
// Usage: npm run bench:demo [-- --tenants 100 --campaigns 1000 --days 30]
// Server: BENCH_DATABASE_URL, else a throwaway one.
// Results: bench/results/demo-generate-<tenants>x<campaigns>x<days>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '../scripts/support/scratch-database.ts';
import { startThrowawayPostgres } from '../scripts/support/throwaway-postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { loadDemo } from '../src/demo/load-demo.ts';

const { values } = parseArgs({
  options: {
    tenants: { type: 'string', default: '100' },
    campaigns: { type: 'string', default: '1000' },
    days: { type: 'string', default: '30' },
  },
});
const tenants = Number(values.tenants);
const campaigns = Number(values.campaigns);
const days = Number(values.days);

const server = process.env.BENCH_DATABASE_URL ? undefined : await startThrowawayPostgres();
const serverUrl = process.env.BENCH_DATABASE_URL ?? server!.url;

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}

try {
  // ours
  const oursDb = await createScratchDatabase(serverUrl);
  const db = await openPostgres(oursDb.url);
  await migrate(db);
  let lastReport = 0;
  const ours = await timed(() =>
    loadDemo(db, { tenants, campaigns, days, seed: 42, contacts: 250, prefix: 'bench', lastDay: '2026-11-20' }, (p) => {
      if (p.campaignsDone - lastReport >= p.campaignsTotal / 10) {
        lastReport = p.campaignsDone;
        process.stderr.write(`  ours: ${p.campaignsDone}/${p.campaignsTotal} campaigns\n`);
      }
    }),
  );
  const statRows = ours.result.rows.stats;
  await db.close();
  await oursDb.drop();

  // limit: the same number of stat rows, generated server-side, against the same table and indexes.
  const limitDb = await createScratchDatabase(serverUrl);
  const bare = await openPostgres(limitDb.url);
  await migrate(bare);
  const campaignCount = Math.ceil(statRows / (days * 3));
  await bare.session(async (s) => {
    await s.exec(`INSERT INTO tenants (id, slug, name) VALUES ('00000000-0000-4000-8000-000000000001', 'limit', 'Limit');
      INSERT INTO workspaces (tenant_id, id, slug, name) VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'main', 'Main');`);
    await s.query(
      `INSERT INTO campaigns (tenant_id, id, workspace_id, title)
       SELECT '00000000-0000-4000-8000-000000000001', gen_random_uuid(), '00000000-0000-4000-8000-000000000002', 'c' || g
         FROM generate_series(1, $1) g`,
      [campaignCount],
    );
  });
  const limit = await timed(() =>
    bare.session((s) =>
      s.query(
        `INSERT INTO campaign_channel_stats_daily (tenant_id, campaign_id, stat_date, channel, impressions, sends, opens,
                                                   clicks, replies, meetings, conversions, spend, revenue)
         SELECT c.tenant_id, c.id, date '2026-11-20' - d, ch, (random() * 5000)::int, (random() * 100)::int,
                (random() * 40)::int, (random() * 90)::int, (random() * 3)::int, (random() * 1)::int,
                (random() * 2)::int, round((random() * 80)::numeric, 2), round((random() * 200)::numeric, 2)
           FROM campaigns c, generate_series(0, $1 - 1) d, unnest(ARRAY['email', 'google_ads', 'meta_ads']) ch
          LIMIT $2`,
        [days, statRows],
      ),
    ),
  );
  await bare.close();
  await limitDb.drop();

  const [version] = await openPostgres(serverUrl).then(async (db) => {
    const rows = await db.session((s) => s.query<{ v: string }>("SELECT current_setting('server_version') AS v"));
    await db.close();
    return rows.map((r) => r.v);
  });
  const record = {
    benchmark: 'demo-generate',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    backend: `postgres ${version}`,
    scale: { tenants, campaignsPerTenant: campaigns, days, channels: 3 },
    rows: ours.result.rows,
    ours: { seconds: Number(ours.seconds.toFixed(2)), statRowsPerSecond: Math.round(statRows / ours.seconds) },
    limit: { seconds: Number(limit.seconds.toFixed(2)), statRowsPerSecond: Math.round(statRows / limit.seconds) },
    ratio_ours_over_limit: Number((ours.seconds / limit.seconds).toFixed(2)),
  };
  console.log(JSON.stringify(record, null, 2));
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `demo-generate-${tenants}x${campaigns}x${days}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`recorded in ${file}`);
} finally {
  server?.stop();
}
