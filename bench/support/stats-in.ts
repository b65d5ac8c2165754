// bench:sync, part 1 (issue 24, "stats in"): per platform, side by side in one run,
//   ours  - syncAdAccount of a newly connected account: `campaigns` linked campaigns × `days` days
//           of figures read from the local stand-in (Meta: insights pages of 500 rows over HTTP;
//           Google Ads: searchStream batches of 10,000 rows), converted exactly and stored through
//           upsertStats as the pages arrive, in the backfill's 10-day chunks (90 days asked for);
//   limit - the project's own bare ingestion of the same rows: upsertStats, 10,000 rows a
//           transaction, one after another, into an identical copy of the database (same
//           campaigns, same links, same triggers), the rows already in memory.
// Target: ours >= 0.7 × limit in rows/s. Also reported: the next hour's sync (the 7-day window
// re-read, every row unchanged). The stand-ins run in this process, as the sync's client does:
// the cores are shared by the stand-in, the client and Postgres, as they are not in production
// (where the platform is someone else's machine). Reading every row once before the clock starts
// (for the limit) also has the Meta stand-in write each row's JSON once, as it keeps it.
import { createScratchDatabase, type ScratchDatabase } from '../../scripts/support/scratch-database.ts';
import { readPlatformStats } from '../../src/ads/platform-stats.ts';
import { DEFAULT_META_CONVERSION_ACTION } from '../../src/contract/ad-accounts.ts';
import { migrate } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/port.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { linksOfAccount } from '../../src/db/repositories/platform-links.ts';
import { type StatRowIn, upsertStats } from '../../src/db/repositories/stats.ts';
import { addDays } from '../../src/domain/day.ts';
import type { AdAccountDeps } from '../../src/services/ad-accounts.ts';
import { dayIn, statRowOf, syncAdAccount } from '../../src/services/ad-sync.ts';
import {
  type BenchPlatform,
  connectedTenant,
  GOOGLE_CUSTOMER,
  META_ACCOUNT,
  type StandIns,
  startStandIns,
  TIME_ZONE,
} from './ad-stand-ins.ts';
import { cpuMeter, round, say } from './harness.ts';

export const STATS_TARGET_RATIO = 0.7;
const BATCH_ROWS = 10_000;

/** The rows the sync will store, read and mapped before the clock starts (for the bare ingestion). */
async function rowsToStore(
  db: Database,
  standIns: StandIns,
  tenantId: string,
  accountId: string,
  platform: BenchPlatform,
  range: { from: string; to: string },
): Promise<StatRowIn[]> {
  const links = await db.session((s) => linksOfAccount(s, tenantId, accountId));
  const campaignOf = new Map(links.map((l) => [`${l.external_kind}:${l.external_id}`, l.campaign_id]));
  const rows: StatRowIn[] = [];
  const request = {
    range,
    kinds: new Set(links.map((l) => l.external_kind as 'meta_campaign')),
    conversionAction: DEFAULT_META_CONVERSION_ACTION,
    timeoutMs: 600_000,
  };
  for await (const batch of readPlatformStats(standIns.deps.endpoints, standIns.credentials[platform], request)) {
    for (const row of batch) {
      const campaignId = campaignOf.get(`${row.externalKind}:${row.externalId}`);
      if (!campaignId) continue;
      rows.push(statRowOf(row, campaignId, platform === 'meta' ? 'meta' : 'google_ads'));
    }
  }
  return rows;
}

async function bareIngestion(db: Database, tenantId: string, rows: readonly StatRowIn[]) {
  const cpu = cpuMeter();
  const started = performance.now();
  let inserted = 0;
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const batch = rows.slice(i, i + BATCH_ROWS);
    inserted += (await db.transaction((s) => upsertStats(s, tenantId, batch))).inserted;
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows: inserted, seconds, cpu: cpu() };
}

async function timedSync(db: Database, deps: AdAccountDeps, tenantId: string, accountId: string) {
  const cpu = cpuMeter();
  const started = performance.now();
  const result = await syncAdAccount(db, deps, tenantId, accountId);
  const seconds = (performance.now() - started) / 1000;
  return { result, seconds, cpu: cpu() };
}

/** A copy of `base` (which must have no open connections left: a closed pool's take a moment). */
async function copyOf(serverUrl: string, base: ScratchDatabase): Promise<ScratchDatabase> {
  const baseName = new URL(base.url).pathname.slice(1);
  for (let attempt = 0; ; attempt++) {
    try {
      return await createScratchDatabase(serverUrl, `${baseName}_limit`, baseName);
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export interface StatsInResult {
  pass: boolean;
  meta: StatsInPlatform;
  google: StatsInPlatform;
}

interface StatsInPlatform {
  ours: Record<string, unknown> & { rows_per_s: number };
  limit: Record<string, unknown> & { rows_per_s: number };
  ratio_ours_over_limit: number;
  pass: boolean;
  [key: string]: unknown;
}

/** Runs part 1 in scratch databases of the Postgres server at `serverUrl`, dropped after. */
export async function statsIn(serverUrl: string, scale: { campaigns: number; days: number }): Promise<StatsInResult> {
  const today = dayIn(TIME_ZONE, new Date());
  const standIns = await startStandIns({ log: false });
  const scratch: ScratchDatabase[] = [];
  const open: Database[] = [];
  try {
    const seedStarted = performance.now();
    const firstDay = addDays(today, 1 - scale.days);
    standIns.meta.seedPortfolio({
      accountId: META_ACCOUNT,
      campaigns: scale.campaigns,
      days: scale.days,
      firstDay,
      conversionAction: DEFAULT_META_CONVERSION_ACTION,
    });
    standIns.google.world.seed(GOOGLE_CUSTOMER, { campaigns: scale.campaigns, days: scale.days, lastDate: today });
    say(`stand-ins seeded: ${scale.campaigns} campaigns × ${scale.days} days on each platform`);

    const base = await createScratchDatabase(serverUrl);
    scratch.push(base);
    const baseDb = await openPostgres(base.url);
    await migrate(baseDb);
    const seeded = await connectedTenant(baseDb, standIns, 'bench-sync');
    const expected: Record<BenchPlatform, StatRowIn[]> = { meta: [], google: [] };
    for (const platform of ['meta', 'google'] as const) {
      const accountId = seeded.accounts[platform];
      const range = { from: firstDay, to: today };
      expected[platform] = await rowsToStore(baseDb, standIns, seeded.tenantId, accountId, platform, range);
    }
    await baseDb.close();
    scratch.push(await copyOf(serverUrl, base));
    say(
      `seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; rows to store: meta ${expected.meta.length}, google ${expected.google.length}`,
    );

    const syncDb = await openPostgres(base.url);
    open.push(syncDb);
    const bareDb = await openPostgres(scratch[1]!.url);
    open.push(bareDb);

    const results: Partial<Record<BenchPlatform, StatsInPlatform>> = {};
    for (const platform of ['meta', 'google'] as const) {
      const limit = await bareIngestion(bareDb, seeded.tenantId, expected[platform]);
      say(`${platform}, limit (bare upsertStats): ${limit.rows} rows in ${limit.seconds.toFixed(2)} s`);
      const ours = await timedSync(syncDb, standIns.deps, seeded.tenantId, seeded.accounts[platform]);
      const stored = ours.result.inserted + ours.result.updated;
      say(`${platform}, ours (sync from the stand-in): ${stored} rows in ${ours.seconds.toFixed(2)} s`);
      if (stored !== expected[platform].length) {
        throw new Error(`${platform}: the sync stored ${stored} rows, ${expected[platform].length} expected`);
      }
      const again = await timedSync(syncDb, standIns.deps, seeded.tenantId, seeded.accounts[platform]);
      say(
        `${platform}, the next hour (7-day window, unchanged): ${again.result.unchanged} rows in ${again.seconds.toFixed(2)} s`,
      );
      const oursRate = stored / ours.seconds;
      const limitRate = limit.rows / limit.seconds;
      const ratio = oursRate / limitRate;
      results[platform] = {
        ours: {
          rows: stored,
          seconds: round(ours.seconds, 3),
          rows_per_s: Math.round(oursRate),
          chunks: ours.result.chunks,
          days_asked: ours.result.days,
          cpu_seconds: { this_process: round(ours.cpu.process), machine: round(ours.cpu.machine) },
        },
        limit: {
          rows: limit.rows,
          seconds: round(limit.seconds, 3),
          rows_per_s: Math.round(limitRate),
          cpu_seconds: { this_process: round(limit.cpu.process), machine: round(limit.cpu.machine) },
        },
        ratio_ours_over_limit: round(ratio),
        next_hour_window: {
          rows_unchanged: again.result.unchanged,
          seconds: round(again.seconds, 3),
          rows_per_s: Math.round(again.result.unchanged / again.seconds),
        },
        target: `>= ${STATS_TARGET_RATIO} × limit`,
        pass: ratio >= STATS_TARGET_RATIO,
      };
    }
    const meta = results.meta!;
    const google = results.google!;
    return { pass: meta.pass && google.pass, meta, google };
  } finally {
    for (const db of open) await db.close().catch(() => {});
    await standIns.close().catch(() => {});
    for (const s of scratch.reverse()) await s.drop().catch(() => {});
  }
}
