// Benchmark: one autonomous cycle over every tenant (issue 3).
//
// Postgres (default): demo data (100 tenants x 1,000 campaigns x 30 days x 3 channels), then side
// by side on identical copies of it (CREATE DATABASE ... TEMPLATE):
//   limit - one bare GROUP BY campaign over the raw stats table;
//   ours  - runCycles over all tenants: decisions, ledger writes, opportunities;
//   peer  - json-rules-engine with per-campaign fact queries and per-action statements;
//   ours on 90 days of history instead of 30 (cost should not grow with history).
// Targets: ours <= 2x limit; peer / ours >= 10; ours(90d) / ours(30d) <= 1.3.
// --pglite: 10 tenants x 1,000 campaigns on embedded PGlite; target ours <= 3x PGlite's limit.
// Usage: npm run bench:cycle [-- --pglite] [-- --tenants N --campaigns M --days D --long-days L]
// Results: bench/results/cycle-<backend>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase, type ScratchDatabase } from '../scripts/support/scratch-database.ts';
import { startThrowawayPostgres } from '../scripts/support/throwaway-postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPglite } from '../src/db/pglite.ts';
import type { Database } from '../src/db/port.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { rows, typed } from '../src/db/typed.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { runCycles } from '../src/engine/cycle-summary.ts';
import { runPeerCycle } from './support/peer-json-rules-engine.ts';

const { values } = parseArgs({
  options: {
    pglite: { type: 'boolean', default: false },
    tenants: { type: 'string' },
    campaigns: { type: 'string', default: '1000' },
    days: { type: 'string', default: '30' },
    'long-days': { type: 'string', default: '90' },
  },
});
const tenants = Number(values.tenants ?? (values.pglite ? 10 : 100));
const campaigns = Number(values.campaigns);
const days = Number(values.days);
const longDays = Number(values['long-days']);
const now = new Date();
const lastDay = now.toISOString().slice(0, 10);

async function seconds<T>(work: () => Promise<T>): Promise<{ s: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { s: (performance.now() - started) / 1000, result };
}

const LIMIT_SQL = `SELECT tenant_id, campaign_id, sum(impressions), sum(sends), sum(opens), sum(clicks), sum(replies),
                          sum(meetings), sum(conversions), sum(spend), sum(revenue)
                     FROM campaign_channel_stats_daily GROUP BY tenant_id, campaign_id`;

/** The bare aggregation, best of two runs (the second reads a warm cache, as the cycle does). */
async function limit(db: Database): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 2; i++) runs.push((await seconds(() => db.session((s) => s.query(LIMIT_SQL)))).s);
  return Math.min(...runs);
}

async function load(db: Database, historyDays: number) {
  await migrate(db);
  const loaded = await seconds(() =>
    loadDemo(db, { tenants, campaigns, days: historyDays, seed: 42, contacts: 100, prefix: 'bench', lastDay }),
  );
  // As a database that has been running a while: statistics gathered, hint bits and the
  // visibility map set (a fresh COPY leaves every first reader to set them).
  await db.session((s) => s.exec('VACUUM ANALYZE'));
  process.stderr.write(
    `  loaded ${loaded.result.rows.stats} stat rows (${historyDays} days) in ${loaded.s.toFixed(1)} s\n`,
  );
  return loaded.result;
}

async function tenantIds(db: Database): Promise<string[]> {
  const tenants = await db.session((s) => rows(s, typed.selectFrom('tenants').select('id').orderBy('slug')));
  return tenants.map((t) => t.id);
}

/** Warms the caches the way a running system has them: one untimed read of the stats. */
async function warm(db: Database) {
  await db.session((s) => s.query('SELECT count(*) FROM campaign_channel_stats_daily'));
}

async function cycle(db: Database) {
  const ids = await tenantIds(db);
  await warm(db);
  // A dry run first: the same reads, nothing written, so the timed cycle starts warm.
  await runCycles(db, ids, { now, dryRun: true, concurrency: 2 });
  // Two tenants at once: this machine has two cores, as the limit's parallel aggregate uses.
  return seconds(() => runCycles(db, ids, { now, triggeredBy: 'cli', concurrency: 2 }));
}

function record(name: string, data: object) {
  const out = {
    benchmark: 'cycle',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    ...data,
  };
  console.log(JSON.stringify(out, null, 2));
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `cycle-${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));

if (values.pglite) {
  const db = await openPglite();
  const loaded = await load(db, days);
  const limitS = await limit(db);
  const ours = await cycle(db);
  await db.close();
  record('pglite', {
    backend: 'pglite',
    scale: { tenants, campaignsPerTenant: campaigns, days, statRows: loaded.rows.stats },
    limit_seconds: Number(limitS.toFixed(3)),
    ours_seconds: Number(ours.s.toFixed(3)),
    ours_actions: ours.result.actions_taken,
    ratio_ours_over_limit: ratio(ours.s, limitS),
    target: 'ours <= 3x limit',
  });
} else {
  const server = process.env.BENCH_DATABASE_URL ? undefined : await startThrowawayPostgres();
  const serverUrl = process.env.BENCH_DATABASE_URL ?? server!.url;
  const scratch: ScratchDatabase[] = [];
  const copyOf = async (template: ScratchDatabase) => {
    const name = `${new URL(template.url).pathname.slice(1)}_copy${scratch.length}`;
    // A closed pool's server sessions take a moment to end; the template must have none left.
    let copy: ScratchDatabase | undefined;
    for (let attempt = 0; !copy; attempt++) {
      copy = await createScratchDatabase(serverUrl, name, new URL(template.url).pathname.slice(1)).catch(
        async (error) => {
          if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
          return undefined;
        },
      );
    }
    scratch.push(copy);
    return openPostgres(copy.url);
  };
  try {
    const base = await createScratchDatabase(serverUrl);
    scratch.push(base);
    let db = await openPostgres(base.url);
    const loaded = await load(db, days);
    const limitS = await limit(db);
    const [version] = await db.session((s) => s.query<{ v: string }>("SELECT current_setting('server_version') AS v"));
    await db.close();

    db = await copyOf(base);
    const ours = await cycle(db);
    await db.close();
    db = await copyOf(base);
    await warm(db);
    const peerTenants = await tenantIds(db);
    const peer = await seconds(() => runPeerCycle(db, peerTenants, now));
    await db.close();

    const long = await createScratchDatabase(serverUrl);
    scratch.push(long);
    db = await openPostgres(long.url);
    const loadedLong = await load(db, longDays);
    await db.close();
    db = await copyOf(long);
    const oursLong = await cycle(db);
    await db.close();

    record('postgres', {
      backend: `postgres ${version?.v}`,
      scale: { tenants, campaignsPerTenant: campaigns, days, statRows: loaded.rows.stats },
      limit_seconds: Number(limitS.toFixed(3)),
      ours_seconds: Number(ours.s.toFixed(3)),
      ours_actions: ours.result.actions_taken,
      ours_suggestions: ours.result.suggestions_created,
      peer_seconds: Number(peer.s.toFixed(3)),
      peer_actions: peer.result.actions,
      long_history: { days: longDays, statRows: loadedLong.rows.stats, ours_seconds: Number(oursLong.s.toFixed(3)) },
      ratios: {
        ours_over_limit: ratio(ours.s, limitS),
        peer_over_ours: ratio(peer.s, ours.s),
        ours_long_over_ours: ratio(oursLong.s, ours.s),
      },
      targets: { ours_over_limit: '<= 2', peer_over_ours: '>= 10', ours_long_over_ours: '<= 1.3' },
    });
  } finally {
    for (const s of scratch.reverse()) await s.drop().catch(() => {});
    server?.stop();
  }
}
