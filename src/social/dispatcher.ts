// The social post dispatcher: claims a tenant's due campaign_schedules rows, posts each to its
// platforms through the adapters, and ends the row posted, pending a retry, or failed with the
// reason. Safe to run several at once and to kill at any point:
// - the claim (status 'posting', attempts + 1) is one short transaction with FOR UPDATE SKIP
//   LOCKED, committed before any platform call, so dispatchers split the rows between them;
// - a row left 'posting' longer than `staleAfterMs` belongs to a dispatcher that died and is claimed
//   again; what that one may have posted is looked up on the platform, never posted twice
//   (src/social/post-to-platform.ts);
// - every write after the claim is fenced by the claim's attempt number, so a dispatcher that was
//   only slow cannot overwrite the row once another has taken it over.
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { retryDelayMs } from '../domain/retry-backoff.ts';
import type { Platform, PlatformAdapter } from './platform.ts';
import { LostClaimError, type PlatformContext, type PlatformOutcome, postToPlatform } from './post-to-platform.ts';
import { type ClaimedSchedule, claimDue, finishRow, type RowEnd } from './schedules-store.ts';

export interface DispatchOptions {
  tenantId: string;
  adapters: Record<Platform, PlatformAdapter>;
  /** Decrypts the stored access tokens (NIGHTSHIFT_ENCRYPTION_KEY). */
  cipher: TokenCipher;
  /** Renews an expired token with the account's refresh token (X); without it an expired token needs a reconnect. */
  renewToken?: PlatformContext['renewToken'];
  now?: () => Date;
  /** Rows claimed per run; 20 unless set. */
  limit?: number;
  /** Attempts before a row that keeps failing retryably is failed; 5 unless set. */
  maxAttempts?: number;
  /** The first retry's delay, doubled on each attempt after; 1 minute unless set. */
  retryBaseMs?: number;
  /** The longest delay between retries (a platform's own retry-after may be longer); 1 hour unless set. */
  retryMaxMs?: number;
  /** A 'posting' row untouched this long belongs to a dispatcher that died; 10 minutes unless set. */
  staleAfterMs?: number;
  /** For the retry jitter; Math.random unless set. */
  random?: () => number;
}

/** Per platform: its post ids, or why it will be retried or has failed. */
export type PlatformReport = PlatformOutcome;

export interface DispatchedSchedule {
  scheduleId: string;
  campaignId: string;
  /**
   * posted: every platform has its post; reconciled: posted, and at least one post was found on
   * the platform after a call whose answer was lost (not made again); retry_scheduled: back to
   * pending until `retryAt`; failed: for good; skipped: not finished by this run (another
   * dispatcher took the row over, or the database failed), claimed again once stale.
   */
  outcome: 'posted' | 'reconciled' | 'retry_scheduled' | 'failed' | 'skipped';
  attempt: number;
  platforms: Partial<Record<Platform, PlatformReport>>;
  /** The platforms' errors, one per failing platform; also the row's last_error. */
  reason?: string;
  retryAt?: Date;
}

export interface DispatchReport {
  schedules: DispatchedSchedule[];
}

type Settings = Required<Omit<DispatchOptions, 'tenantId' | 'adapters' | 'cipher' | 'renewToken'>>;

const DEFAULTS: Settings = {
  now: () => new Date(),
  limit: 20,
  maxAttempts: 5,
  retryBaseMs: 60_000,
  retryMaxMs: 3_600_000,
  staleAfterMs: 10 * 60_000,
  random: Math.random,
};

type Problem = Extract<PlatformOutcome, { reason: string }>;

function endOf(row: ClaimedSchedule, outcomes: PlatformOutcome[], settings: Settings, now: Date): RowEnd {
  const problems = outcomes.filter((o): o is Problem => o.status === 'retry' || o.status === 'failed');
  if (problems.length === 0) return { status: 'posted' };
  const lastError = problems.map((o) => o.reason).join('; ');
  const retries = problems.filter((o) => o.status === 'retry');
  if (retries.length === 0) return { status: 'failed', lastError };
  if (row.attempts >= settings.maxAttempts) {
    return { status: 'failed', lastError: `gave up after ${row.attempts} attempts: ${lastError}` };
  }
  const waitMs = Math.max(0, ...retries.map((o) => o.retryAfterMs ?? 0));
  const retryAt = new Date(now.getTime() + retryDelayMs(row.attempts, waitMs, settings));
  return { status: 'pending', retryAt, lastError };
}

const OUTCOMES = { posted: 'posted', pending: 'retry_scheduled', failed: 'failed' } as const;

async function dispatchRow(ctx: PlatformContext, row: ClaimedSchedule, settings: Settings) {
  const report: DispatchedSchedule = {
    scheduleId: row.id,
    campaignId: row.campaign_id,
    outcome: 'skipped',
    attempt: row.attempts,
    platforms: {},
  };
  try {
    const outcomes: PlatformOutcome[] = [];
    // One platform after another: each keeps its own post ids and errors, whatever the others do.
    for (const platform of row.platforms) {
      const outcome = await postToPlatform(ctx, row, platform);
      outcomes.push(outcome);
      report.platforms[platform] = outcome;
    }
    const now = settings.now();
    const end = endOf(row, outcomes, settings, now);
    if (!(await finishRow(ctx.db, ctx.tenantId, row, end, now))) throw new LostClaimError('claimed by another');
    const reconciled = outcomes.some((o) => o.status === 'reconciled');
    report.outcome = end.status === 'posted' && reconciled ? 'reconciled' : OUTCOMES[end.status];
    if (end.status !== 'posted') report.reason = end.lastError;
    if (end.status === 'pending') report.retryAt = end.retryAt;
  } catch (error) {
    // The row stays 'posting' and is claimed again once stale, its markers telling what to look up.
    report.reason =
      error instanceof LostClaimError
        ? 'another dispatcher claimed the row'
        : `not finished, retried once stale: ${error instanceof Error ? error.message : String(error)}`;
  }
  return report;
}

/** Posts the tenant's due scheduled posts; one row's trouble never stops the others. */
export async function dispatchDuePosts(db: Database, options: DispatchOptions): Promise<DispatchReport> {
  const settings: Settings = { ...DEFAULTS, ...withoutUndefined(options) };
  const scoped = tenantScoped(db, options.tenantId);
  const ctx: PlatformContext = { ...options, db: scoped, now: settings.now };
  const now = settings.now();
  const staleBefore = new Date(now.getTime() - settings.staleAfterMs);
  const rows = await claimDue(scoped, options.tenantId, { now, staleBefore }, settings.limit);
  const schedules: DispatchedSchedule[] = [];
  for (const row of rows) schedules.push(await dispatchRow(ctx, row, settings));
  return { schedules };
}

/** Options given as undefined fall back to the defaults instead of overriding them. */
function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
