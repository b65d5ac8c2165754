// Stats in from the ad platforms (docs/ad-platforms.md, "Stats in"): an account's daily figures for
// its linked campaigns, read from Meta or Google Ads and stored through upsertStats, the one
// ingestion path (its triggers keep the rollups, conversion arrivals and stats versions), with
// channel `meta` or `google_ads`.
//
// Which days a sync reads, unless told (in the account's time zone):
// - the attribution window, `attribution_window_days` back from today, every time: late
//   conversions revise the days they belong to, and a day that did not change is reported
//   unchanged by upsertStats (the same sync twice changes nothing);
// - before it, the days not stored yet: a new connection's 90 days (the backfill), or the days
//   missed while no sync ran. They are read in chunks of CHUNK_DAYS, oldest first, and the last
//   day stored is recorded after each chunk, so a failure resumes where it stopped. A day before
//   the window that was stored is not read again.
// The platform is read outside any transaction, a page (Meta) or a streamed batch (Google) at a
// time; each batch of rows is upserted in a transaction of its own while the next pages are read.
// A chunk's rows are stored as they arrive, before the chunk is read to its end: a failure midway
// leaves them stored (the upsert takes them again unchanged when the chunk is read again).
//
// A sync without a range asked for by hand (the schedule's) then reads the linked campaigns'
// status and daily budget and brings the campaigns in line, recording a change made on the
// platform outside Nightshift in the ledger (follow-platform.ts).
import type { AdCredentials } from '../ads/credentials.ts';
import { AdAccountRefusedError, PLATFORM_NAMES } from '../ads/errors.ts';
import { MoneyError } from '../ads/money.ts';
import type { ExternalKind } from '../ads/platform-campaigns.ts';
import { type PlatformStatRow, readPlatformStats } from '../ads/platform-stats.ts';
import {
  type AdAccountSyncResult,
  type AdPlatform,
  adAccountSettings,
  BACKFILL_DAYS,
  DEFAULT_META_CONVERSION_ACTION,
} from '../contract/ad-accounts.ts';
import { analyzeAfterBulk } from '../db/analyze-after-bulk.ts';
import type { Database } from '../db/port.ts';
import * as sync from '../db/repositories/ad-account-sync.ts';
import * as accounts from '../db/repositories/ad-accounts.ts';
import * as links from '../db/repositories/platform-links.ts';
import * as stats from '../db/repositories/stats.ts';
import { addDays, daysFrom } from '../domain/day.ts';
import { ConflictError, InvalidInputError, NotFoundError, UpstreamUnavailableError } from '../domain/errors.ts';
import { type AdAccountDeps, accountCredentials, getAdAccount } from './ad-accounts.ts';
import { followAccount } from './follow-platform.ts';

/** Days per platform call: Meta answers "try a smaller date range" to heavy requests. */
export const CHUNK_DAYS = 10;
/** The most days a sync asked for by hand may cover. */
export const MAX_SYNC_DAYS = 90;
/** Rows per upsert statement (the stats API's batch). */
const BATCH_ROWS = 10_000;

export interface SyncProgress {
  from: string;
  to: string;
  /** The last day stored so far. */
  through: string;
  daysDone: number;
  daysTotal: number;
}

export interface SyncOptions {
  /** A range asked for by hand (YYYY-MM-DD, inclusive, at most 90 days): read as is, the backfill left alone. */
  from?: string;
  to?: string;
  /** After each chunk of days is stored. */
  onProgress?: (progress: SyncProgress) => void;
  /** The sync's instant (tests): which day is today, and when a change found on the platform is recorded. */
  now?: Date;
  chunkDays?: number;
  /** Rows per upsert (tests); BATCH_ROWS unless said. */
  batchRows?: number;
}

/** The day it is at `now` in the time zone. */
export function dayIn(timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return parts.format(now);
}

function chunksOf(from: string, to: string, size: number): { from: string; to: string }[] {
  const chunks: { from: string; to: string }[] = [];
  for (let start = from; start <= to; start = addDays(start, size)) {
    const end = addDays(start, size - 1);
    chunks.push({ from: start, to: end < to ? end : to });
  }
  return chunks;
}

/** Batches read ahead of the one being stored: the platform and the database work at once. */
const READ_AHEAD = 8;

/**
 * Reads `source` on its own, up to `depth` items ahead of the caller, while the caller works on
 * the items already read (a platform's pages arrive while the previous rows are stored). The
 * source's failure is thrown where the caller reaches it, after the items read before it.
 */
async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const buffer: T[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let room: (() => void) | undefined;
  let stopped = false;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  const producer = (async () => {
    try {
      for await (const item of source) {
        buffer.push(item);
        signal();
        while (buffer.length >= depth && !stopped) await new Promise<void>((resolve) => (room = resolve));
        if (stopped) return;
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      signal();
    }
  })();
  try {
    for (;;) {
      if (buffer.length > 0) {
        const item = buffer.shift() as T;
        room?.();
        room = undefined;
        yield item;
        continue;
      }
      if (failure) throw failure.error;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stopped = true;
    room?.();
    await producer;
  }
}

interface Batch {
  rows: PlatformStatRow[];
  /** Set on the chunk's last batch: its days are all read once its rows are stored. */
  chunkDone?: { from: string; to: string };
}

interface ReadPlan {
  chunks: readonly { from: string; to: string }[];
  kinds: ReadonlySet<ExternalKind>;
  conversionAction: string;
  batchRows: number;
}

async function* readChunks(deps: AdAccountDeps, credentials: AdCredentials, plan: ReadPlan): AsyncGenerator<Batch> {
  const { kinds, conversionAction, batchRows } = plan;
  for (const chunk of plan.chunks) {
    const request = {
      range: chunk,
      kinds,
      conversionAction,
      // A stream of a chunk's rows may run long; each of Meta's pages has the endpoints' timeout.
      timeoutMs: Math.max(deps.endpoints.timeoutMs, 120_000),
    };
    // Rows as they arrive (Meta's pages of 500, Google's batches), gathered into upserts of
    // BATCH_ROWS, each its own transaction: a commit per 10,000 rows rather than per 500. Per row a
    // 500-row upsert measured no slower (150,000 rows: 7.8-8.1 s against 8.1-8.3 s, on the
    // benchmark's server, which does not fsync); a server that does pays for every commit.
    let pending: PlatformStatRow[] = [];
    for await (const rows of readPlatformStats(deps.endpoints, credentials, request)) {
      for (const row of rows) pending.push(row);
      while (pending.length >= batchRows) {
        yield { rows: pending.slice(0, batchRows) };
        pending = pending.slice(batchRows);
      }
    }
    yield { rows: pending, chunkDone: chunk };
  }
}

/** A platform's row as the stats upsert takes it, for its linked campaign; the other metrics 0. */
export function statRowOf(row: PlatformStatRow, campaignId: string, channel: AdPlatform): stats.StatRowIn {
  return {
    campaign_id: campaignId,
    stat_date: row.date,
    channel,
    impressions: row.impressions,
    sends: 0,
    opens: 0,
    clicks: row.clicks,
    replies: 0,
    meetings: 0,
    conversions: row.conversions,
    spend: row.spend,
    revenue: row.revenue,
  };
}

/** The days a sync reads and whether they carry the backfill on. */
async function plan(
  db: Database,
  tenantId: string,
  accountId: string,
  state: NonNullable<Awaited<ReturnType<typeof sync.syncStateOf>>>,
  today: string,
  windowDays: number,
  options: SyncOptions,
): Promise<{ from: string; to: string; backfill: boolean }> {
  if (options.from !== undefined || options.to !== undefined) {
    const to = options.to ?? today;
    const from = options.from ?? addDays(to, 1 - windowDays);
    const problem =
      from > to
        ? 'from is after to'
        : daysFrom(from, to) > MAX_SYNC_DAYS
          ? `covers more than ${MAX_SYNC_DAYS} days`
          : to > addDays(today, 1)
            ? `ends after tomorrow in the account's time zone (${today})`
            : undefined;
    if (problem) throw new InvalidInputError([{ field: 'from', in: 'body', message: problem }]);
    return { from, to, backfill: false };
  }
  const backfillFrom =
    state.backfill_from ??
    (await db.transaction((s) => sync.startBackfill(s, tenantId, accountId, addDays(today, 1 - BACKFILL_DAYS))));
  const windowFrom = addDays(today, 1 - windowDays);
  const firstMissing = state.backfilled_through ? addDays(state.backfilled_through, 1) : backfillFrom;
  return { from: firstMissing < windowFrom ? firstMissing : windowFrom, to: today, backfill: true };
}

/**
 * Reads the account's stats for its linked campaigns and stores them (see the top of this file).
 * A refused token marks the account needs_reconnect and answers ConflictError; a platform that is
 * rate-limited or down answers UpstreamUnavailableError; either way the platform's words are the
 * account's last sync error, and the days stored before the failure stay stored.
 */
export async function syncAdAccount(
  db: Database,
  deps: AdAccountDeps,
  tenantId: string,
  accountId: string,
  options: SyncOptions = {},
): Promise<AdAccountSyncResult> {
  const state = await db.session((s) => sync.syncStateOf(s, tenantId, accountId));
  if (!state) throw new NotFoundError(`no ad account ${accountId}`);
  const credentials = await accountCredentials(db, deps, tenantId, accountId);
  if (state.status === 'needs_reconnect') {
    throw new ConflictError(`the ad account ${accountId} needs reconnecting before its stats can be read`);
  }
  const platform = state.platform as AdPlatform;
  const settings = adAccountSettings.parse(state.settings);
  const today = dayIn(state.time_zone ?? 'UTC', options.now ?? new Date());
  const range = await plan(db, tenantId, accountId, state, today, settings.attribution_window_days, options);

  const linked = await db.session((s) => links.linksOfAccount(s, tenantId, accountId));
  const campaignOf = new Map(linked.map((l) => [`${l.external_kind}:${l.external_id}`, l.campaign_id]));
  const kinds = new Set(linked.map((l) => l.external_kind as ExternalKind));
  const chunks = chunksOf(range.from, range.to, options.chunkDays ?? CHUNK_DAYS);
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  const unlinked = new Set<string>();
  let unlinkedRows = 0;
  let daysDone = 0;
  const daysTotal = daysFrom(range.from, range.to);
  let movedOnPlatform = 0;

  try {
    const batches = readChunks(deps, credentials, {
      chunks,
      kinds,
      conversionAction: settings.conversion_action ?? DEFAULT_META_CONVERSION_ACTION,
      batchRows: options.batchRows ?? BATCH_ROWS,
    });
    for await (const batch of readAhead(batches, READ_AHEAD)) {
      const rows: stats.StatRowIn[] = [];
      for (const row of batch.rows) {
        const key = `${row.externalKind}:${row.externalId}`;
        const campaignId = campaignOf.get(key);
        if (campaignId === undefined) {
          unlinked.add(key);
          unlinkedRows += 1;
          continue;
        }
        rows.push(statRowOf(row, campaignId, platform));
      }
      if (rows.length > 0) {
        const written = await db.transaction((s) => stats.upsertStats(s, tenantId, rows));
        counts.inserted += written.inserted;
        counts.updated += written.updated;
        counts.unchanged += written.unchanged;
      }
      if (batch.chunkDone) {
        const through = batch.chunkDone.to;
        if (range.backfill) await db.transaction((s) => sync.recordBackfillProgress(s, tenantId, accountId, through));
        daysDone += daysFrom(batch.chunkDone.from, through);
        options.onProgress?.({ from: range.from, to: range.to, through, daysDone, daysTotal });
      }
    }
    if (options.from === undefined && options.to === undefined) {
      const account = { id: accountId, platform, currency: state.currency };
      movedOnPlatform = await followAccount(db, deps.endpoints, credentials, tenantId, account, options.now);
    }
  } catch (error) {
    throw await recordFailure(db, tenantId, accountId, platform, error);
  }
  await db.transaction(async (s) => {
    await sync.recordSyncSuccess(s, tenantId, accountId, range.backfill);
    await analyzeAfterBulk(s, stats.statsWritten(counts.inserted + counts.updated, campaignOf.size));
  });
  return {
    account: await getAdAccount(db, tenantId, accountId),
    from: range.from,
    to: range.to,
    days: daysTotal,
    chunks: chunks.length,
    ...counts,
    unlinked_entities: unlinked.size,
    unlinked_rows: unlinkedRows,
    moved_on_platform: movedOnPlatform,
  };
}

/** Records the failure on the account and answers the error to throw. */
async function recordFailure(
  db: Database,
  tenantId: string,
  accountId: string,
  platform: AdPlatform,
  error: unknown,
): Promise<unknown> {
  const name = PLATFORM_NAMES[platform];
  if (error instanceof AdAccountRefusedError) {
    await db.transaction(async (s) => {
      await sync.recordSyncError(s, tenantId, accountId, error.message);
      // As a test of the connection records it: a refused token means reconnecting.
      if (error.needsReconnect) {
        await accounts.recordConnectionTest(s, tenantId, accountId, {
          ok: false,
          status: 'needs_reconnect',
          reason: error.message,
        });
      }
    });
    return new ConflictError(`cannot sync: ${error.message}`);
  }
  if (error instanceof UpstreamUnavailableError || error instanceof MoneyError) {
    const message =
      error instanceof MoneyError
        ? `${name}: answered a figure that cannot be stored: ${error.message}`
        : error.message;
    await db.transaction((s) => sync.recordSyncError(s, tenantId, accountId, message));
    return error instanceof MoneyError ? new UpstreamUnavailableError(name, message) : error;
  }
  return error;
}

export interface TenantSyncReport {
  accounts: {
    account_id: string;
    ok: boolean;
    inserted?: number;
    updated?: number;
    unchanged?: number;
    days?: number;
    backfill_done?: boolean;
    moved_on_platform?: number;
    error?: string;
  }[];
}

/**
 * Syncs every connected account of the tenant, one after another (a platform's limits are per
 * account and per app, and the database takes one batch at a time best). A failure is recorded on
 * its account and the next account is synced: the next run retries it.
 */
export async function syncTenantAdAccounts(
  db: Database,
  deps: AdAccountDeps,
  tenantId: string,
  options: Pick<SyncOptions, 'now'> = {},
): Promise<TenantSyncReport> {
  const ids = await db.session((s) => sync.connectedAccountIds(s, tenantId));
  const report: TenantSyncReport = { accounts: [] };
  for (const id of ids) {
    try {
      const result = await syncAdAccount(db, deps, tenantId, id, options);
      report.accounts.push({
        account_id: id,
        ok: true,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
        days: result.days,
        backfill_done: result.account.sync.backfill.done,
        moved_on_platform: result.moved_on_platform,
      });
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof UpstreamUnavailableError)) throw error;
      report.accounts.push({ account_id: id, ok: false, error: error.message });
    }
  }
  return report;
}
