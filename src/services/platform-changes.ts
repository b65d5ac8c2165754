// Delivering the outbox of ad-platform changes (platform_changes: sql/migrations/0032): pauses,
// resumes and budgets of linked campaigns, decided by the cycle, a person's approval or rollback
// (src/ledger/kinds/platform-change.ts). A run claims a tenant's due rows, sends each to its
// platform, and ends it:
// - confirmed: the platform holds the change; the ledger row becomes executed and the campaign
//   moves to its new state (repositories/platform-changes.ts confirmChange), in one transaction;
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
import { MetaApiError } from '../ads/meta/errors.ts';
import type { MetaUsage } from '../ads/meta/usage.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import * as accounts from '../db/repositories/ad-accounts.ts';
import * as outbox from '../db/repositories/platform-changes.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import * as outcomes from '../ledger/platform-outcomes.ts';
import { retryDelayMs } from '../social/dispatcher.ts';
import { accountCredentials } from './ad-accounts.ts';

export interface DeliveryOptions {
  tenantId: string;
  endpoints: AdPlatformEndpoints;
  /** Decrypts the accounts' credentials. */
  cipher: TokenCipher;
  now?: () => Date;
  /** Rows claimed per run; 200 unless set. */
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

const DEFAULTS: Settings = {
  now: () => new Date(),
  limit: 200,
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

interface AccountRun {
  db: Database;
  tenantId: string;
  accountId: string;
  settings: Settings;
  /** Calls to this account stop until then, for the reason given (rate limited, usage high, refused). */
  hold?: { until: Date; reason: string; reconnect?: boolean };
}

/** A failure of a call, as the row's end; and what it means for the account's other rows. */
function endOfError(run: AccountRun, error: unknown): End {
  if (!(error instanceof AdPlatformError)) throw error;
  const now = run.settings.now();
  if (error.kind === 'rate-limited') {
    const retryAfterMs = error.retryAfterMs ?? 0;
    const until = new Date(now.getTime() + Math.max(retryAfterMs, run.settings.usageBackoffMs));
    holdAccount(run, until, `rate limited: ${error.message}`);
    return { kind: 'retry', reason: error.message, retryAfterMs };
  }
  // A refusal's usage headers count as a success's (a rate limit's hold is set above, with its reason).
  if (error instanceof MetaApiError && error.usage) noteUsage(run, error.usage);
  if (error.kind === 'unavailable') return { kind: 'retry', reason: error.message, retryAfterMs: 0 };
  if (error.kind === 'needs-reconnect') return { kind: 'reconnect', reason: error.message };
  return { kind: 'failed', reason: error.message };
}

/** What a row gets while its account's calls are held back. */
const heldEnd = (hold: NonNullable<AccountRun['hold']>): End =>
  hold.reconnect
    ? { kind: 'reconnect', reason: hold.reason }
    : { kind: 'wait', reason: hold.reason, retryAt: hold.until };

function holdAccount(run: AccountRun, until: Date, reason: string) {
  if (!run.hold || run.hold.until < until) run.hold = { until, reason };
}

/** Meta's usage near its limit: the account's next calls wait, before Meta throttles them. */
function noteUsage(run: AccountRun, usage: MetaUsage) {
  if (usage.maxPercent < run.settings.usageCeilingPercent) return;
  const waitMs = Math.max(usage.regainAccessMs, run.settings.usageBackoffMs);
  holdAccount(
    run,
    new Date(run.settings.now().getTime() + waitMs),
    `Meta reports this account at ${Math.round(usage.maxPercent)}% of its rate limit: Nightshift waits before reaching it`,
  );
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

async function deliverMetaRows(run: AccountRun, endpoints: AdPlatformEndpoints, credentials: unknown, rows: Row[]) {
  const client = metaClientFor(endpoints, credentials as Parameters<typeof metaClientFor>[1]);
  const ends = new Map<Row, End>();
  for (const row of rows) {
    if (run.hold) {
      ends.set(row, heldEnd(run.hold));
      continue;
    }
    const limited = row.field === 'budget' ? await budgetLimit(run, row) : undefined;
    if (limited) {
      ends.set(row, limited);
      continue;
    }
    try {
      if (sentBefore(row)) {
        const answer = await client.readObjectState(row.external_id);
        noteUsage(run, answer.usage);
        const current = row.field === 'status' ? answer.value.status : answer.value.dailyBudget;
        const checked = recheck(row, current, 'Meta');
        if (checked !== 'send') {
          ends.set(row, checked);
          continue;
        }
      }
      const change =
        row.field === 'status' ? { status: row.to_value as 'ACTIVE' | 'PAUSED' } : { dailyBudget: row.to_value };
      const answer = await client.updateObject(row.external_id, change);
      noteUsage(run, answer.usage);
      ends.set(row, { kind: 'confirmed' });
    } catch (error) {
      const end = endOfError(run, error);
      ends.set(row, end);
      if (end.kind === 'reconnect') run.hold = { until: run.settings.now(), reason: end.reason, reconnect: true };
    }
  }
  return ends;
}

/** Meta's 4 budget changes per ad set per hour: a fifth waits until the oldest of the four is an hour old. */
async function budgetLimit(run: AccountRun, row: Row): Promise<End | undefined> {
  const now = run.settings.now();
  const perHour = run.settings.metaBudgetChangesPerHour;
  const recent = await run.db.session((s) =>
    outbox.recentBudgetChanges(
      s,
      run.tenantId,
      { adAccountId: row.ad_account_id, externalId: row.external_id },
      new Date(now.getTime() - HOUR_MS),
    ),
  );
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
    if (run.hold) {
      for (const row of batch) ends.set(row, heldEnd(run.hold));
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
      if (end.kind === 'reconnect') run.hold = { until: run.settings.now(), reason: end.reason, reconnect: true };
    }
  }
  return ends;
}

/** Writes how a row ended; false when its claim was lost to another worker. */
async function finish(run: AccountRun, row: Row, end: End): Promise<DeliveredChange> {
  const { settings, tenantId } = run;
  const now = settings.now();
  const report: DeliveredChange = {
    changeId: row.id,
    actionId: row.action_id,
    campaignId: row.campaign_id,
    platform: row.platform,
    field: row.field,
    outcome: 'skipped',
    attempt: row.attempts,
  };
  const written = await run.db.transaction(async (s) => {
    switch (end.kind) {
      case 'confirmed':
      case 'reconciled':
        report.outcome = end.kind;
        return outcomes.confirmChange(s, tenantId, row, now);
      case 'failed':
        report.outcome = 'failed';
        report.reason = end.reason;
        return outcomes.failChange(s, tenantId, row, end.reason, now);
      case 'retry': {
        if (row.attempts >= settings.maxAttempts) {
          report.outcome = 'failed';
          report.reason = `gave up after ${row.attempts} attempts: ${end.reason}`;
          return outcomes.failChange(s, tenantId, row, report.reason, now);
        }
        const retryAt = new Date(now.getTime() + retryDelayMs(row.attempts, end.retryAfterMs, settings));
        Object.assign(report, { outcome: 'retry_scheduled', reason: end.reason, retryAt });
        return outcomes.requeueChange(s, tenantId, row, { retryAt, reason: `will retry: ${end.reason}` }, now);
      }
      case 'wait':
        Object.assign(report, { outcome: 'waiting', reason: end.reason, retryAt: end.retryAt });
        return outcomes.requeueChange(
          s,
          tenantId,
          row,
          { retryAt: end.retryAt, reason: `waiting: ${end.reason}`, uncounted: true },
          now,
        );
      case 'reconnect': {
        const reason = `waiting for the ad account to be reconnected: ${PLATFORM_NAMES[row.platform]} refused its credentials (${end.reason})`;
        Object.assign(report, { outcome: 'waiting', reason });
        await accounts.recordConnectionTest(s, tenantId, row.ad_account_id, {
          ok: false,
          status: 'needs_reconnect',
          reason: end.reason,
        });
        // Claimed again once the account is connected again (the claim takes connected accounts only).
        return outcomes.requeueChange(s, tenantId, row, { retryAt: now, reason, uncounted: true }, now);
      }
    }
  });
  if (!written) {
    report.outcome = 'skipped';
    report.reason = 'another worker claimed the row';
  }
  return report;
}

async function deliverAccount(run: AccountRun, options: DeliveryOptions, rows: Row[]): Promise<DeliveredChange[]> {
  let credentials: unknown;
  try {
    credentials = await accountCredentials(run.db, options, run.tenantId, run.accountId);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const reports: DeliveredChange[] = [];
    for (const row of rows) reports.push(await finish(run, row, { kind: 'reconnect', reason }));
    return reports;
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
    return rows.map((row) => ({
      changeId: row.id,
      actionId: row.action_id,
      campaignId: row.campaign_id,
      platform: row.platform,
      field: row.field,
      outcome: 'skipped',
      attempt: row.attempts,
      reason,
    }));
  }
  const reports: DeliveredChange[] = [];
  for (const row of rows) {
    const end = ends.get(row);
    if (end) reports.push(await finish(run, row, end));
  }
  return reports;
}

/** Delivers the tenant's due platform changes; one account's trouble never stops another's. */
export async function deliverPlatformChanges(db: Database, options: DeliveryOptions): Promise<DeliveryReport> {
  const settings: Settings = { ...DEFAULTS, ...withoutUndefined(options) };
  const scoped = tenantScoped(db, options.tenantId);
  const now = settings.now();
  const staleBefore = new Date(now.getTime() - settings.staleAfterMs);
  const rows = await scoped.transaction((s) =>
    outbox.claimDueChanges(s, options.tenantId, { now, staleBefore }, settings.limit),
  );
  const changes: DeliveredChange[] = [];
  for (const [accountId, group] of Map.groupBy(rows, (row) => row.ad_account_id)) {
    const run: AccountRun = { db: scoped, tenantId: options.tenantId, accountId, settings };
    changes.push(...(await deliverAccount(run, options, group)));
  }
  return { changes };
}

/** Options given as undefined fall back to the defaults instead of overriding them. */
function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
