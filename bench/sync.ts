// Benchmark: issue 24's two targets for the ad platforms, Postgres backend, each side by side with
// its limit in one run:
//   1. stats in  - a sync of `campaigns` linked campaigns × `days` days from each local stand-in
//                  (Meta, Google Ads) against the project's bare ingestion of the same rows:
//                  ours >= 0.7 × limit in rows/s (bench/support/stats-in.ts);
//   2. decisions out - `changes` queued platform changes delivered until the outbox drains,
//                  against a local server with no rate limit, beside the bare cost of the same
//                  requests and writes, with Meta's 4 budget changes per ad set per hour checked
//                  from the server's log (bench/support/changes-out.ts).
// Both in one run and one record: the targets are judged together (`pass`), on one
// throwaway Postgres server.
// Usage: npm run bench:sync [-- --url postgres://... --campaigns 10000 --days 30 --changes 10000]
//        [-- --only stats|changes]: one part alone while developing; printed, not recorded.
// Without --url (or BENCH_DATABASE_URL / DATABASE_URL) a throwaway Postgres server is started;
// either way the run works in scratch databases it creates and drops.
// Results: bench/results/sync-postgres.json. Exits 0 even when a target is missed (prints MISSED).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startThrowawayPostgres } from '../scripts/support/throwaway-postgres.ts';
import { type ChangesOutResult, changesOut } from './support/changes-out.ts';
import { giveUpAfter, loadNow, machine, round } from './support/harness.ts';
import { STATS_TARGET_RATIO, type StatsInResult, statsIn } from './support/stats-in.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    campaigns: { type: 'string', default: '10000' },
    days: { type: 'string', default: '30' },
    changes: { type: 'string', default: '10000' },
    only: { type: 'string' },
  },
});
const scale = { campaigns: Number(values.campaigns), days: Number(values.days), changes: Number(values.changes) };
if (values.only !== undefined && values.only !== 'stats' && values.only !== 'changes') {
  throw new Error('--only takes stats or changes');
}
const runs = (part: 'stats' | 'changes') => values.only === undefined || values.only === part;

giveUpAfter('bench:sync', 30 * 60_000);

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? 'unknown';
  } finally {
    await client.end();
  }
}

const line = (text: string) => process.stdout.write(`${text}\n`);

function printStats(stats: StatsInResult) {
  line('\nbench:sync, stats in (rows/s, ours = sync from the stand-in, limit = bare upsertStats)');
  for (const platform of ['meta', 'google'] as const) {
    const r = stats[platform];
    line(
      `  ${platform.padEnd(7)} ours ${String(r.ours.rows_per_s).padStart(7)}   limit ${String(r.limit.rows_per_s).padStart(7)}   ratio ${r.ratio_ours_over_limit.toFixed(2)}   ${r.pass ? 'PASS' : 'MISSED'} (target >= ${STATS_TARGET_RATIO})`,
    );
  }
}

function printChanges(changes: ChangesOutResult) {
  const r = changes as ChangesOutResult & {
    ours: { changes_per_s: number };
    limit: { changes_per_s: number };
    ratio_ours_over_limit: number;
    meta_budget_rule: { most_in_an_hour: number; broken: number; held_back: number };
  };
  line('\nbench:sync, decisions out (changes/s, ours = the delivery task, limit = the same requests and bare SQL)');
  line(
    `  changes ours ${String(r.ours.changes_per_s).padStart(7)}   limit ${String(r.limit.changes_per_s).padStart(7)}   ratio ${r.ratio_ours_over_limit.toFixed(2)}   Meta budget changes per object in an hour: at most ${r.meta_budget_rule.most_in_an_hour} (${r.meta_budget_rule.broken} broken, ${r.meta_budget_rule.held_back} held back)   ${r.pass ? 'PASS' : 'MISSED'}`,
  );
}

const serverUrl = values.url ?? process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const runStarted = performance.now();
const loadAtStart = loadNow();
const server = serverUrl ? undefined : await startThrowawayPostgres();
try {
  const postgresUrl = serverUrl ?? server!.url;
  process.stderr.write(`  postgres: ${serverUrl ? 'the server given' : 'a throwaway server'}\n`);
  const stats = runs('stats') ? await statsIn(postgresUrl, scale) : undefined;
  if (stats) printStats(stats);
  const changes = runs('changes') ? await changesOut(postgresUrl, scale) : undefined;
  if (changes) printChanges(changes);
  if (!(stats && changes)) line(JSON.stringify(stats ?? changes, null, 2));
  else {
    const out = {
      benchmark: 'sync',
      date: new Date().toISOString(),
      machine: machine(loadAtStart, await serverVersion(postgresUrl)),
      scale: {
        campaigns_per_platform: scale.campaigns,
        days: scale.days,
        rows_per_platform: scale.campaigns * scale.days,
        changes: scale.changes,
      },
      stats_in: stats,
      decisions_out: changes,
      pass: stats.pass && changes.pass,
      notes: [
        'stats_in.ours: syncAdAccount of a newly connected account (the 90-day backfill in 10-day chunks), from stand-in servers in this process over loopback HTTP, through upsertStats as the pages arrive',
        'stats_in.limit: upsertStats of the same rows (already in memory, mapped to the same campaigns), 10,000 rows a transaction, into a copy of the same database',
        'decisions_out.ours: deliverDueChanges (the ad-platform-changes task) until the outbox drained, one worker, the bench clock jumping over waits',
        'decisions_out.limit: the requests ours sent, sent again by a minimal loop with as many in flight, then per claim of rows one transaction of four set-based UPDATEs',
        'all on the same Postgres server, as the database owner (no row-level security), one after the other',
        'cpu_seconds: this process (client, stand-in servers, conversion) and the whole machine (Postgres included)',
      ],
      run_seconds: round((performance.now() - runStarted) / 1000, 1),
    };
    const dir = join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sync-postgres.json'), `${JSON.stringify(out, null, 2)}\n`);
  }
} finally {
  server?.stop();
}
