// Benchmark: the campaign runner's recipient generation (issue 5), Postgres backend. Side by side
// in one run, on one database (bench/support/recipient-generation.ts):
//   ours   - runCampaignAutomation launching one due campaign whose segment has N members
//            (active contacts only, chunked statements, the campaign locked, status set);
//   limit  - a bare `INSERT INTO campaign_recipients SELECT ... FROM segment_members` of the same
//            rows through node-postgres, into another campaign;
//   again  - the runner on the same campaign once more (rescheduled, recipients already there):
//            it must find them and skip generation.
// Each is run twice, alternating limit and ours (the table grows between them); the faster of each
// pair is kept. Targets: ours <= 1.5x the limit; again <= 5% of ours.
// Then job throughput (bench/support/job-throughput.ts): trivial jobs through 3 `nightshift worker`
// processes against 3 connections draining a bare SKIP LOCKED table. Target: >= 1,000 jobs/s.
// Usage: npm run bench:runner [-- --url postgres://... --recipients 1000000 --jobs 20000]
// Results: bench/results/runner-postgres.json. Exits 0 even when a target is missed (prints MISSED).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase, type ScratchDatabase } from '../scripts/support/scratch-database.ts';
import { startThrowawayPostgres } from '../scripts/support/throwaway-postgres.ts';
import { DEFAULT_SYSTEM_USER_ID } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import type { SystemDatabase } from '../src/db/port.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { runCampaignAutomation } from '../src/runner/campaign-runner.ts';
import { giveUpAfter, loadNow, machine, round, say } from './support/harness.ts';
import { limitThroughput, oursThroughput } from './support/job-throughput.ts';
import { generationRounds, seconds, seedSegment } from './support/recipient-generation.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    recipients: { type: 'string', default: '1000000' },
    jobs: { type: 'string', default: '20000' },
  },
});
const RECIPIENTS = Number(values.recipients);
const JOBS = Number(values.jobs);
const TARGET_JOBS_PER_SECOND = 1000;
const TARGET_RATIO = 1.5;
const TARGET_AGAIN = 0.05;

giveUpAfter('bench:runner', 600_000);

const loadAtStart = loadNow();
const serverUrl = values.url ?? process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const server = serverUrl ? undefined : await startThrowawayPostgres();
let scratch: ScratchDatabase | undefined;
let db: SystemDatabase | undefined;
try {
  scratch = await createScratchDatabase(serverUrl ?? server!.url);
  db = await openPostgres(scratch.url);
  await migrate(db);
  const w = await seedSegment(db, RECIPIENTS);
  await db.session((s) => s.exec('VACUUM ANALYZE'));
  say(`seeded one segment of ${RECIPIENTS} contacts`);

  const generated = await generationRounds(db, w, { rounds: 2, copies: false, say });
  const limits = generated.limit;
  const runs = generated.ours;
  const best = generated.best.ours;
  const limitS = generated.best.limit;
  await db.session((s) =>
    s.query("UPDATE campaigns SET status = 'scheduled' WHERE tenant_id = $1 AND id = $2", [
      w.tenantId,
      best.campaignId,
    ]),
  );
  let again = 0;
  const againS = await seconds(async () => {
    again =
      (await runCampaignAutomation(db!, { tenantId: w.tenantId, systemUserId: DEFAULT_SYSTEM_USER_ID })).campaigns[0]
        ?.recipient_count ?? 0;
  });
  if (again !== RECIPIENTS) throw new Error(`the second run reported ${again} recipients`);
  const [version] = await db.session((s) => s.query<{ v: string }>("SELECT current_setting('server_version') AS v"));
  const jobsLimit = await limitThroughput(db, JOBS);
  const jobsOurs = await oursThroughput(db, scratch.url, JOBS);
  const jobsRatio = jobsOurs.jobs_per_second / jobsLimit.jobs_per_second;

  const ratio = best.seconds / limitS;
  const againRatio = againS / best.seconds;
  const verdict = (pass: boolean) => (pass ? 'met' : 'MISSED');
  const rows = [
    ['', 'seconds', 'rows/s', 'ratio', 'target', ''],
    [
      'limit: bare INSERT ... SELECT',
      limitS.toFixed(2),
      Math.round(RECIPIENTS / limitS).toLocaleString('en-US'),
      '1.00',
      '',
      '',
    ],
    [
      'ours: the runner, first run',
      best.seconds.toFixed(2),
      Math.round(RECIPIENTS / best.seconds).toLocaleString('en-US'),
      ratio.toFixed(2),
      `<= ${TARGET_RATIO}x limit`,
      verdict(ratio <= TARGET_RATIO),
    ],
    [
      'ours: second run (skips)',
      againS.toFixed(3),
      '',
      againRatio.toFixed(3),
      `<= ${TARGET_AGAIN * 100}% of first`,
      verdict(againRatio <= TARGET_AGAIN),
    ],
    ['', 'seconds', 'jobs/s', 'ratio', 'target', ''],
    [
      'limit: 3 connections, bare SKIP LOCKED',
      jobsLimit.seconds.toFixed(2),
      jobsLimit.jobs_per_second.toLocaleString('en-US'),
      '1.00',
      '',
      '',
    ],
    [
      'ours: 3 nightshift worker processes',
      jobsOurs.seconds.toFixed(2),
      jobsOurs.jobs_per_second.toLocaleString('en-US'),
      jobsRatio.toFixed(2),
      `>= ${TARGET_JOBS_PER_SECOND.toLocaleString('en-US')} jobs/s`,
      verdict(jobsOurs.jobs_per_second >= TARGET_JOBS_PER_SECOND),
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write(
    `${[
      `bench:runner - Postgres ${version?.v}, ${cpus().length} cpus, Node ${process.version}; ${RECIPIENTS.toLocaleString('en-US')} recipients`,
      ...rows.map((r) =>
        r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   '),
      ),
      'limit and ours: best of two rounds each, alternating; ours = select due, lock, count, chunked insert of active members, status update',
      `jobs: ${JOBS.toLocaleString('en-US')} trivial jobs, timed from their insert to the last effect; ours = pg-boss queue, fetch, handler, completion`,
    ].join('\n')}\n`,
  );
  const out = {
    benchmark: 'runner',
    date: new Date().toISOString(),
    machine: machine(loadAtStart, version?.v ?? 'unknown'),
    recipients: RECIPIENTS,
    limit: { seconds_per_round: limits.map((s) => round(s, 3)), best_seconds: round(limitS, 3) },
    ours: { seconds_per_round: runs.map((r) => round(r.seconds, 3)), best_seconds: round(best.seconds, 3) },
    second_run_seconds: round(againS, 4),
    ratio_ours_over_limit: round(ratio),
    ratio_second_over_first: round(againRatio, 4),
    targets: { ratio: `<= ${TARGET_RATIO}`, second_run: `<= ${TARGET_AGAIN}` },
    job_throughput: {
      workers: 3,
      limit: jobsLimit,
      ours: jobsOurs,
      ratio_ours_over_limit: round(jobsRatio),
      target: `>= ${TARGET_JOBS_PER_SECOND} jobs/s`,
    },
    pass: ratio <= TARGET_RATIO && againRatio <= TARGET_AGAIN && jobsOurs.jobs_per_second >= TARGET_JOBS_PER_SECOND,
  };
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'runner-postgres.json'), `${JSON.stringify(out, null, 2)}\n`);
  if (!out.pass) process.stdout.write('MISSED: a target was not met (see above)\n');
} finally {
  await db?.close().catch(() => {});
  await scratch?.drop().catch(() => {});
  server?.stop();
}
