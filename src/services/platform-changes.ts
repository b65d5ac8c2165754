// Delivering the outbox of ad-platform changes (platform_changes: sql/migrations/0032): pauses,
// resumes and budgets of linked campaigns, decided by the cycle, a person's approval or rollback
// (src/ledger/kinds/platform-change.ts). A claim takes up to 500 of a tenant's due rows and
// sends them, its accounts at once (Meta: a call a row, several in flight; Google: one mutate per
// field), then ends them; the ad-platform-changes task claims again until nothing is due
// (deliverDueChanges). A row ends:
// - confirmed: the platform holds the change; the ledger row becomes executed and the campaign
//   moves to its new state (src/ledger/platform-outcomes.ts confirmChanges), in one transaction
//   with the outbox row (one transaction for all of a claim's confirmed rows of an account);
// - failed: the platform refused it (its words are kept on the row and the ledger row), or it
//   holds a value the change did not expect (changed outside Nightshift: a conflict);
// - back to the queue: rate limited or unavailable (exponential backoff with jitter, a platform's
//   retry-after honoured), Meta's usage headers near the limit (backing off before it, not after),
//   Meta's 4 budget changes per ad set per hour, or a token refused (the account is marked
//   needs_reconnect and its rows wait for it; nobody is told "done").
// Crash safety: the claim (status 'sending', attempts + 1) commits before any call, and every write
// after it is fenced by the attempt. A row that is sent again (it was left 'sending' by a worker
// that died, or an earlier attempt's answer was lost) is first read back from the platform: a
// platform already holding the new value confirms it without sending it twice; one holding neither
// the old nor the new value fails as an external change.
import { googleAdsClientFor, metaClientFor } from '../ads/clients.ts';
import type { AdPlatformEndpoints } from '../ads/endpoints.ts';
import { AdPlatformError, PLATFORM_NAMES } from '../ads/errors.ts';
import { GoogleAdsAuthError } from '../ads/google/errors.ts';
import type { MutateResult } from '../ads/google/mutate.ts';
import type { MetaAdsClient } from '../ads/meta/client.ts';
import { MetaApiError } from '../ads/meta/errors.ts';
import type { MetaUsage } from '../ads/meta/usage.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import * as accounts from '../db/repositories/ad-accounts.ts';
import * as outbox from '../db/repositories/platform-changes.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { retryDelayMs } from '../domain/retry-backoff.ts';
import * as outcomes from '../ledger/platform-outcomes.ts';
import { accountCredentials } from './ad-accounts.ts';

export interface DeliveryOptions {
  tenantId: string;
  endpoints: AdPlatformEndpoints;
  /** Decrypts the accounts' credentials. */
  cipher: TokenCipher;
  now?: () => Date;
  /** Rows claimed at once; DEFAULT_CLAIM_LIMIT unless set. */
  limit?: number;
  /** Attempts before a row that keeps failing retryably is failed; 8 unless set. */
  maxAttempts?: number;
  /** The first retry's delay, doubled on each attempt after; 1 minute unless set. */
  retryBaseMs?: number;
  /** The longest delay between retries (a platform's own retry-after may be longer); 1 hour unless set. */
  retryMaxMs?: number;
  /** A 'sending' row untouched this long belongs to a worker that died; 10 minutes unless set. */
  staleAfterMs?: number;
  random?: () => number;
  /** Meta's usage (x-business-use-case-usage and the others) at which calls to the account stop for a while; 90%. */
  usageCeilingPercent?: number;
  /** How long they stop when Meta announced no wait of its own; 5 minutes unless set. */
  usageBackoffMs?: number;
  /** Meta allows this many budget changes per ad set per hour; 4. */
  metaBudgetChangesPerHour?: number;
}

/**
 * confirmed: the platform took the change; reconciled: it already held it (an earlier attempt's
 * answer was lost), so nothing was sent again; retry_scheduled: back to the queue after a
 * backoff; waiting: held back by a limit or a reconnect before anything was sent; failed: for
 * good; skipped: not finished by this run (claimed again once stale).
 */
export type DeliveryOutcome = 'confirmed' | 'reconciled' | 'retry_scheduled' | 'waiting' | 'failed' | 'skipped';

export interface DeliveredChange {
  changeId: string;
  actionId: string;
  campaignId: string;
  platform: 'meta' | 'google_ads';
  field: 'status' | 'budget';
  outcome: DeliveryOutcome;
  attempt: number;
  reason?: string;
  retryAt?: Date;
}

export interface DeliveryReport {
  changes: DeliveredChange[];
}

type Settings = Required<Omit<DeliveryOptions, 'tenantId' | 'endpoints' | 'cipher'>>;

/**
 * Rows a claim takes unless told. Each claim costs its own statements and a slow tail of calls:
 * 5,000 changes to the local stand-ins went out at 2,376-2,536 a second in claims of 500, against
 * 1,917-2,212 in claims of 200 (load average 1.0-1.1, side by side).
 */
export const DEFAULT_CLAIM_LIMIT = 500;
/**
 * Calls to one Meta ad account in flight at once (see deliverMetaRows). Meta has no batch for these
 * updates, and one call at a time holds an account to a round trip per change (with a transaction
 * a row, 5,000 changes to local stand-ins that answer at once went out at 368-383 a second; with 8
 * in flight and the writes set-based, 2,034-2,093; load average 1.4-1.8). With several in flight,
 * Meta's usage headers (the account held back at 90%) set the pace rather than the worker.
 */
export const META_CALLS_IN_FLIGHT = 8;

const DEFAULTS: Settings = {
  now: () => new Date(),
  limit: DEFAULT_CLAIM_LIMIT,
  maxAttempts: 8,
  retryBaseMs: 60_000,
  retryMaxMs: 3_600_000,
  staleAfterMs: 10 * 60_000,
  random: Math.random,
  usageCeilingPercent: 90,
  usageBackoffMs: 5 * 60_000,
  metaBudgetChangesPerHour: 4,
};

const HOUR_MS = 3_600_000;

/** How one row ends this run. */
type End =
  | { kind: 'confirmed' | 'reconciled' }
  | { kind: 'failed'; reason: string }
  /** Retryable: back off. */
  | { kind: 'retry'; reason: string; retryAfterMs: number }
  /** Nothing sent: held back until `retryAt`. */
  | { kind: 'wait'; reason: string; retryAt: Date }
  /** The credentials were refused. */
  | { kind: 'reconnect'; reason: string };

type Row = outbox.ClaimedChange;

/** Calls to an account stop until then, for the reason given (rate limited, usage high, refused). */
interface Hold {
  until: Date;
  reason: string;
  /** The credentials were refused: no call until the account is connected again. */
  reconnect?: boolean;
}

/** What the claims of one drain know of the tenant's accounts, by account id. */
interface Accounts {
  /** Calls held back: the next claim does not call a held account again. */
  holds: Map<string, Hold>;
  /** The platform has answered a call of this drain: the account's next claims start several at once. */
  answered: Set<string>;
}

const noAccounts = (): Accounts => ({ holds: new Map(), answered: new Set() });

interface AccountRun {
  db: Database;
  tenantId: string;
  accountId: string;
  settings: Settings;
  accounts: Accounts;
}

/** The account's hold in force now, if any. */
function holdOf(run: AccountRun): Hold | undefined {
  const hold = run.accounts.holds.get(run.accountId);
  return hold && (hold.reconnect || hold.until > run.settings.now()) ? hold : undefined;
}

/** Holds the account's calls back, until the later of this hold and the one in force (a refusal for good). */
function holdAccount(run: AccountRun, hold: Hold) {
  const current = holdOf(run);
  if (!current?.reconnect && (hold.reconnect || !current || current.until < hold.until)) {
    run.accounts.holds.set(run.accountId, hold);
  }
}

/** A failure of a call, as the row's end; and what it means for the account's other rows. */
function endOfError(run: AccountRun, error: unknown): End {
  if (!(error instanceof AdPlatformError)) throw error;
  const now = run.settings.now();
  if (error.kind === 'rate-limited') {
    const retryAfterMs = error.retryAfterMs ?? 0;
    const until = new Date(now.getTime() + Math.max(retryAfterMs, run.settings.usageBackoffMs));
    holdAccount(run, { until, reason: `rate limited: ${error.message}` });
    return { kind: 'retry', reason: error.message, retryAfterMs };
  }
  // A refusal's usage headers count as a success's (a rate limit's hold is set above, with its reason).
  if (error instanceof MetaApiError && error.usage) noteUsage(run, error.usage);
  if (error.kind === 'unavailable') return { kind: 'retry', reason: error.message, retryAfterMs: 0 };
  if (error.kind === 'needs-reconnect') return { kind: 'reconnect', reason: error.message };
  return { kind: 'failed', reason: error.message };
}

/** What a row gets while its account's calls are held back. */
const heldEnd = (hold: Hold): End =>
  hold.reconnect
    ? { kind: 'reconnect', reason: hold.reason }
    : { kind: 'wait', reason: hold.reason, retryAt: hold.until };

/** Meta's usage near its limit: the account's next calls wait, before Meta throttles them. */
function noteUsage(run: AccountRun, usage: MetaUsage) {
  if (usage.maxPercent < run.settings.usageCeilingPercent) return;
  const waitMs = Math.max(usage.regainAccessMs, run.settings.usageBackoffMs);
  holdAccount(run, {
    until: new Date(run.settings.now().getTime() + waitMs),
    reason: `Meta reports this account at ${Math.round(usage.maxPercent)}% of its rate limit: Nightshift waits before reaching it`,
  });
}

/** The platform's current value of the row's field compared with what the change expects. */
function recheck(row: Row, current: string | null | undefined, platform: string): End | 'send' {
  if (current === row.to_value) return { kind: 'reconciled' };
  if (current === undefined) {
    return { kind: 'failed', reason: `${platform} no longer knows ${row.external_kind} ${row.external_id}` };
  }
  if (row.from_value !== null && current !== row.from_value) {
    return {
      kind: 'failed',
      reason:
        `conflict: ${platform} holds ${row.field} ${current ?? 'none'}, neither ${row.from_value} (before the change) ` +
        `nor ${row.to_value} (after it): it was changed outside Nightshift`,
    };
  }
  return 'send';
}

/** A row sent before (its worker died, or an earlier answer was lost) is read back before it is sent again. */
const sentBefore = (row: Row) => row.was === 'sending' || row.attempts > 1;

/**
 * One row to Meta: held back (the account's hold, the ad set's budget changes this hour) without a
 * call, or read back if it was sent before, then sent. `called`: Meta was called.
 */
async function deliverMetaRow(
  run: AccountRun,
  client: MetaAdsClient,
  row: Row,
  recent: readonly Date[],
): Promise<{ end: End; called: boolean }> {
  const hold = holdOf(run);
  if (hold) return { end: heldEnd(hold), called: false };
  const limited = row.field === 'budget' ? budgetLimit(run, recent) : undefined;
  if (limited) return { end: limited, called: false };
  try {
    if (sentBefore(row)) {
      const answer = await client.readObjectState(row.external_id);
      noteUsage(run, answer.usage);
      const current = row.field === 'status' ? answer.value.status : answer.value.dailyBudget;
      const checked = recheck(row, current, 'Meta');
      if (checked !== 'send') return { end: checked, called: true };
    }
    const change =
      row.field === 'status' ? { status: row.to_value as 'ACTIVE' | 'PAUSED' } : { dailyBudget: row.to_value };
    const answer = await client.updateObject(row.external_id, change);
    noteUsage(run, answer.usage);
    return { end: { kind: 'confirmed' }, called: true };
  } catch (error) {
    const end = endOfError(run, error);
    if (end.kind === 'reconnect') holdAccount(run, { until: run.settings.now(), reason: end.reason, reconnect: true });
    return { end, called: true };
  }
}

/**
 * The account's rows, one call each (Meta has no batch for these updates): one after another until
 * Meta has answered a call (once a drain), then up to META_CALLS_IN_FLIGHT at once. A rate limit, a usage near
 * the limit or a refused token that the first answer brings holds every other row back before it
 * is sent; one met later stops the rows not started yet (those in flight finish).
 */
async function deliverMetaRows(run: AccountRun, endpoints: AdPlatformEndpoints, credentials: unknown, rows: Row[]) {
  const client = metaClientFor(endpoints, credentials as Parameters<typeof metaClientFor>[1]);
  const budgetIds = rows.filter((row) => row.field === 'budget').map((row) => row.external_id);
  const since = new Date(run.settings.now().getTime() - HOUR_MS);
  const recent =
    budgetIds.length > 0
      ? await run.db.session((s) => outbox.recentBudgetChanges(s, run.tenantId, run.accountId, budgetIds, since))
      : new Map<string, Date[]>();
  const ends = new Map<Row, End>();
  const waiting = [...rows];
  const { answered } = run.accounts;
  const work = async (untilAnswered: boolean) => {
    for (let row = waiting.shift(); row; row = waiting.shift()) {
      const { end, called } = await deliverMetaRow(run, client, row, recent.get(row.external_id) ?? []);
      ends.set(row, end);
      if (called) answered.add(run.accountId);
      if (untilAnswered && called) return;
    }
  };
  if (!answered.has(run.accountId)) await work(true);
  await Promise.all(Array.from({ length: META_CALLS_IN_FLIGHT }, () => work(false)));
  return ends;
}

/**
 * Meta's 4 budget changes per ad set per hour, from the object's budget changes of the last hour
 * (newest first): a fifth waits until the oldest of the four is an hour old. An object is in a run
 * once (one change per field of a campaign is in flight), so the run's own changes need no count.
 */
function budgetLimit(run: AccountRun, recent: readonly Date[]): End | undefined {
  const perHour = run.settings.metaBudgetChangesPerHour;
  if (recent.length < perHour) return undefined;
  const retryAt = new Date(recent[perHour - 1]!.getTime() + HOUR_MS);
  return {
    kind: 'wait',
    retryAt,
    reason: `Meta allows ${perHour} budget changes per ad set per hour: this one waits until ${retryAt.toISOString()}`,
  };
}

type GoogleClient = ReturnType<typeof googleAdsClientFor>;

/** A call again once when Google refused only the access token: the client fetches a fresh one. */
export async function withFreshToken<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GoogleAdsAuthError && error.retryAfterRefresh) return call();
    throw error;
  }
}

/** Why Google refused the batch's operation at `index`, in words; undefined when it took it. */
export function operationWords(result: MutateResult, index: number): string | undefined {
  const operation = result.operations[index];
  if (!operation || operation.ok) return undefined;
  return `Google Ads refused the change: ${operation.errors.map((e) => `${e.message} (${e.type} ${e.code})`).join('; ')}`;
}

async function deliverGoogleRows(run: AccountRun, endpoints: AdPlatformEndpoints, credentials: unknown, rows: Row[]) {
  const client: GoogleClient = googleAdsClientFor(endpoints, credentials as Parameters<typeof googleAdsClientFor>[1]);
  const ends = new Map<Row, End>();
  let toSend = rows.filter((row) => {
    if (row.field === 'budget' && !row.budget_id) {
      ends.set(row, { kind: 'failed', reason: 'the Google Ads campaign has no budget of its own to change' });
      return false;
    }
    return true;
  });
  const reread = toSend.filter(sentBefore);
  if (reread.length > 0) {
    try {
      const statuses = reread.filter((r) => r.field === 'status').map((r) => r.external_id);
      const budgetIds = reread.filter((r) => r.field === 'budget').map((r) => r.budget_id!);
      const campaigns = statuses.length > 0 ? await withFreshToken(() => client.readCampaigns(statuses)) : new Map();
      const budgets = budgetIds.length > 0 ? await withFreshToken(() => client.readBudgets(budgetIds)) : new Map();
      for (const row of reread) {
        const current =
          row.field === 'status'
            ? campaigns.get(row.external_id)?.status
            : budgets.has(row.budget_id!)
              ? (budgets.get(row.budget_id!)!.amountMicros?.toString() ?? null)
              : undefined;
        const checked = recheck(row, current, 'Google Ads');
        if (checked !== 'send') ends.set(row, checked);
      }
    } catch (error) {
      const end = endOfError(run, error);
      for (const row of reread) ends.set(row, end);
    }
    toSend = toSend.filter((row) => !ends.has(row));
  }
  for (const field of ['status', 'budget'] as const) {
    const batch = toSend.filter((row) => row.field === field);
    if (batch.length === 0) continue;
    const hold = holdOf(run);
    if (hold) {
      for (const row of batch) ends.set(row, heldEnd(hold));
      continue;
    }
    try {
      // partialFailure: one refused operation does not hold the others back; each answers for itself.
      const result = await withFreshToken(() =>
        field === 'status'
          ? client.setCampaignStatuses(
              batch.map((row) => ({ campaignId: row.external_id, status: row.to_value as 'ENABLED' | 'PAUSED' })),
              { partialFailure: true },
            )
          : client.setBudgetAmounts(
              batch.map((row) => ({ budgetId: row.budget_id!, amountMicros: BigInt(row.to_value) })),
              { partialFailure: true },
            ),
      );
      batch.forEach((row, index) => {
        const refused = operationWords(result, index);
        ends.set(row, refused ? { kind: 'failed', reason: refused } : { kind: 'confirmed' });
      });
    } catch (error) {
      const end = endOfError(run, error);
      for (const row of batch) ends.set(row, end);
      if (end.kind === 'reconnect')
        holdAccount(run, { until: run.settings.now(), reason: end.reason, reconnect: true });
    }
  }
  return ends;
}

/** The report of a row, as it ended. */
const reportOf = (row: Row, outcome: DeliveryOutcome, more: Partial<DeliveredChange> = {}): DeliveredChange => ({
  changeId: row.id,
  actionId: row.action_id,
  campaignId: row.campaign_id,
  platform: row.platform,
  field: row.field,
  outcome,
  attempt: row.attempts,
  ...more,
});

const LOST = { reason: 'another worker claimed the row' };

const isConfirmed = (end: End): end is Extract<End, { kind: 'confirmed' | 'reconciled' }> =>
  end.kind === 'confirmed' || end.kind === 'reconciled';

/** How a row the platform did not confirm ends: failed for good, or back to the queue. */
interface Settled {
  report: DeliveredChange;
  fail?: string;
  requeue?: outcomes.Requeue;
}

function settle(run: AccountRun, row: Row, end: Exclude<End, { kind: 'confirmed' | 'reconciled' }>): Settled {
  const { settings } = run;
  const now = settings.now();
  switch (end.kind) {
    case 'failed':
      return { report: reportOf(row, 'failed', { reason: end.reason }), fail: end.reason };
    case 'retry': {
      if (row.attempts >= settings.maxAttempts) {
        const reason = `gave up after ${row.attempts} attempts: ${end.reason}`;
        return { report: reportOf(row, 'failed', { reason }), fail: reason };
      }
      const retryAt = new Date(now.getTime() + retryDelayMs(row.attempts, end.retryAfterMs, settings));
      return {
        report: reportOf(row, 'retry_scheduled', { reason: end.reason, retryAt }),
        requeue: { row, retryAt, reason: `will retry: ${end.reason}`, uncounted: false },
      };
    }
    case 'wait':
      return {
        report: reportOf(row, 'waiting', { reason: end.reason, retryAt: end.retryAt }),
        requeue: { row, retryAt: end.retryAt, reason: `waiting: ${end.reason}`, uncounted: true },
      };
    case 'reconnect': {
      const reason = `waiting for the ad account to be reconnected: ${PLATFORM_NAMES[row.platform]} refused its credentials (${end.reason})`;
      // Claimed again once the account is connected again (the claim takes connected accounts only).
      return { report: reportOf(row, 'waiting', { reason }), requeue: { row, retryAt: now, reason, uncounted: true } };
    }
  }
}

/**
 * Writes how the rows ended: the confirmed and the requeued in one transaction (set-based: each
 * outbox row with its ledger row and campaign), with a refused token recorded on the account; then
 * each failure in a transaction of its own (it fails its action's other rows too). Reports in the
 * rows' order; a row whose claim was lost to another worker is reported skipped.
 */
async function finishAll(run: AccountRun, rows: readonly Row[], ends: Map<Row, End>): Promise<DeliveredChange[]> {
  const { db, tenantId, settings } = run;
  const now = settings.now();
  const confirmed: Row[] = [];
  const settled = new Map<Row, Settled>();
  let refused: string | undefined;
  for (const row of rows) {
    const end = ends.get(row);
    if (!end) continue;
    if (isConfirmed(end)) confirmed.push(row);
    else settled.set(row, settle(run, row, end));
    if (end.kind === 'reconnect') refused ??= end.reason;
  }
  const requeues = [...settled.values()].flatMap((entry) => (entry.requeue ? [entry.requeue] : []));
  const written = new Set<string>();
  if (confirmed.length > 0 || requeues.length > 0) {
    const ids = await db.transaction(async (s) => {
      if (refused !== undefined) {
        await accounts.recordConnectionTest(s, tenantId, run.accountId, {
          ok: false,
          status: 'needs_reconnect',
          reason: refused,
        });
      }
      const done = await outcomes.confirmChanges(s, tenantId, confirmed, now);
      return [...done, ...(await outcomes.requeueChanges(s, tenantId, requeues, now))];
    });
    for (const id of ids) written.add(id);
  }
  for (const [row, entry] of settled) {
    if (entry.fail === undefined) continue;
    const reason = entry.fail;
    if (await db.transaction((s) => outcomes.failChange(s, tenantId, row, reason, now))) written.add(row.id);
  }
  return rows.flatMap((row) => {
    const end = ends.get(row);
    if (!end) return [];
    const report = isConfirmed(end) ? reportOf(row, end.kind) : settled.get(row)!.report;
    return [written.has(row.id) ? report : reportOf(row, 'skipped', LOST)];
  });
}

/** Writes how a claim's rows ended (their platforms have answered): the reports, in the rows' order. */
type Finish = () => Promise<DeliveredChange[]>;

/** Sends the account's rows of a claim; answers how to write how they ended. */
async function sendAccount(run: AccountRun, options: DeliveryOptions, rows: Row[]): Promise<Finish> {
  let credentials: unknown;
  try {
    credentials = await accountCredentials(run.db, options, run.tenantId, run.accountId);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return () => finishAll(run, rows, new Map(rows.map((row) => [row, { kind: 'reconnect', reason }])));
  }
  let ends: Map<Row, End>;
  try {
    ends =
      rows[0]!.platform === 'meta'
        ? await deliverMetaRows(run, options.endpoints, credentials, rows)
        : await deliverGoogleRows(run, options.endpoints, credentials, rows);
  } catch (error) {
    // Not a platform's answer (a bug, the database): the rows stay 'sending' and are read back once stale.
    const reason = `not finished, read back and retried once stale: ${error instanceof Error ? error.message : String(error)}`;
    return async () => rows.map((row) => reportOf(row, 'skipped', { reason }));
  }
  return () => finishAll(run, rows, ends);
}

/** Claims the tenant's due rows and sends them, its accounts at once; `finish` writes how they ended. */
async function sendClaim(db: Database, options: DeliveryOptions, accounts: Accounts) {
  const settings: Settings = { ...DEFAULTS, ...withoutUndefined(options) };
  const scoped = tenantScoped(db, options.tenantId);
  const now = settings.now();
  const staleBefore = new Date(now.getTime() - settings.staleAfterMs);
  const rows = await scoped.transaction((s) =>
    outbox.claimDueChanges(s, options.tenantId, { now, staleBefore }, settings.limit),
  );
  const byAccount = [...Map.groupBy(rows, (row) => row.ad_account_id)].map(([accountId, group]) => {
    const run: AccountRun = { db: scoped, tenantId: options.tenantId, accountId, settings, accounts };
    return sendAccount(run, options, group);
  });
  const finishes = await Promise.all(byAccount);
  return {
    claimed: rows.length,
    finish: async () => (await Promise.all(finishes.map((finish) => finish()))).flat(),
  };
}

/** Delivers one claim of the tenant's due platform changes; one account's trouble never stops another's. */
export async function deliverPlatformChanges(db: Database, options: DeliveryOptions): Promise<DeliveryReport> {
  const sent = await sendClaim(db, options, noAccounts());
  return { changes: await sent.finish() };
}

export interface DrainOptions extends DeliveryOptions {
  /** How long a run goes on claiming due rows, by the wall clock; 5 minutes unless set (the task expires after 10). */
  budgetMs?: number;
}

export interface DrainReport {
  /** Claims made (each of up to `limit` rows). */
  claims: number;
  /** Rows by how they ended. */
  outcomes: Partial<Record<DeliveryOutcome, number>>;
  /** The rows not confirmed or reconciled, the first 100 of them, with their reasons. */
  unfinished: DeliveredChange[];
}

/**
 * Delivers the tenant's due changes claim after claim until none is due (a claim comes back short)
 * or the time budget is spent: the outbox drains as fast as the platforms take it, not a claim a
 * minute (the schedule's pace). A claim is sent while the one before it is written (its rows are
 * 'sending', claimed just now, so the next claim cannot take them while `staleAfterMs` is longer
 * than a claim takes; a refusal written late lets the next claim send its action's other field, as
 * a refusal does to one in its own claim). An account held back (rate limited, usage high,
 * refused) stays held for the claims after, until its hold ends; one Meta has answered gets several
 * calls at once from the start of the next claim.
 */
export async function deliverDueChanges(db: Database, options: DrainOptions): Promise<DrainReport> {
  const { budgetMs = 5 * 60_000, ...delivery } = options;
  const limit = delivery.limit ?? DEFAULTS.limit;
  const started = performance.now();
  const report: DrainReport = { claims: 0, outcomes: {}, unfinished: [] };
  const count = (changes: readonly DeliveredChange[]) => {
    for (const change of changes) {
      report.outcomes[change.outcome] = (report.outcomes[change.outcome] ?? 0) + 1;
      const done = change.outcome === 'confirmed' || change.outcome === 'reconciled';
      if (!done && report.unfinished.length < 100) report.unfinished.push(change);
    }
  };
  const accounts = noAccounts();
  let writing: Promise<DeliveredChange[]> = Promise.resolve([]);
  try {
    for (;;) {
      const sent = await sendClaim(db, delivery, accounts);
      count(await writing);
      writing = sent.finish();
      report.claims += 1;
      if (sent.claimed < limit || performance.now() - started > budgetMs) {
        count(await writing);
        return report;
      }
    }
  } catch (error) {
    // The claim before is written (or fails) before the run ends.
    await writing.catch(() => {});
    throw error;
  }
}

/** Options given as undefined fall back to the defaults instead of overriding them. */
function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
