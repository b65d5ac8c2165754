// Changes of linked campaigns (campaign_platform_links) go out to their ad platform through an
// outbox (platform_changes, sql/migrations/0032_platform_changes.sql) rather than into the
// campaigns table: the kind that decides them (campaign-state.ts) checks the campaign as for any
// other, leaves it as it is, and its ledger row waits as 'applying'; in the same transaction one
// outbox row per field it changes is queued here, in the platform's own terms (Meta's ACTIVE and
// PAUSED and minor units, Google's ENABLED and PAUSED and micros). A worker delivers them
// (src/services/platform-changes.ts) and, once the platform confirms, moves the campaign and marks
// the row executed.
import { decimalToMinor, metaCurrencyExponent } from '../../ads/money.ts';
import type { SqlSession } from '../../db/port.ts';
import type { BatchChange } from '../action-kind.ts';
import { ActionConflictError } from '../errors.ts';

export interface PlatformLink {
  campaign_id: string;
  ad_account_id: string;
  platform: 'meta' | 'google_ads';
  currency: string;
  external_kind: string;
  external_id: string;
  budget_id: string | null;
  platform_status: string;
  platform_daily_budget: string | null;
}

/** The linked campaigns among these, by campaign id. */
export async function linksOf(
  s: SqlSession,
  tenantId: string,
  campaignIds: readonly string[],
): Promise<Map<string, PlatformLink>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await s.query<PlatformLink>(
    `SELECT l.campaign_id, l.ad_account_id, a.platform, a.currency, l.external_kind, l.external_id, l.budget_id,
            l.platform_status, l.platform_daily_budget::text AS platform_daily_budget
       FROM campaign_platform_links l
       JOIN ad_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.ad_account_id
      WHERE l.tenant_id = $1 AND l.campaign_id = ANY($2::uuid[])`,
    [tenantId, [...new Set(campaignIds)]],
  );
  return new Map(rows.map((row) => [row.campaign_id, row]));
}

/** The campaigns among these with a change still on its way to their platform. */
export async function changesInFlight(
  s: SqlSession,
  tenantId: string,
  campaignIds: readonly string[],
): Promise<Set<string>> {
  if (campaignIds.length === 0) return new Set();
  const rows = await s.query<{ campaign_id: string }>(
    `SELECT DISTINCT campaign_id FROM platform_changes
      WHERE tenant_id = $1 AND campaign_id = ANY($2::uuid[]) AND status IN ('queued', 'sending')`,
    [tenantId, [...new Set(campaignIds)]],
  );
  return new Set(rows.map((row) => row.campaign_id));
}

/** Refuses a change of a campaign whose previous change has not been answered by its platform yet. */
export async function requireNothingInFlight(s: SqlSession, tenantId: string, campaignId: string, what: string) {
  if ((await changesInFlight(s, tenantId, [campaignId])).size > 0) {
    throw new ActionConflictError(
      `${what}: a change of this campaign is still on its way to its ad platform`,
      { platform_change: 'none in flight' },
      { platform_change: 'in flight' },
    );
  }
}

type Field = 'status' | 'budget';
type State = Record<string, unknown>;

const STATUS_WORDS: Record<PlatformLink['platform'], Record<string, string>> = {
  meta: { active: 'ACTIVE', paused: 'PAUSED' },
  google_ads: { active: 'ENABLED', paused: 'PAUSED' },
};

/** Nightshift's status as the platform's word; only active and paused are set on a platform. */
export function platformStatus(platform: PlatformLink['platform'], status: unknown): string {
  const word = STATUS_WORDS[platform][String(status)];
  if (!word) throw new Error(`a linked campaign cannot be set to ${String(status)} on its platform`);
  return word;
}

/** A budget (the campaigns table's decimal) in the platform's units: Meta's minor units, Google's micros. */
export function platformBudget(link: Pick<PlatformLink, 'platform' | 'currency'>, budget: unknown): string {
  const decimal = Number(budget).toFixed(2);
  if (link.platform === 'meta')
    return decimalToMinor(decimal, metaCurrencyExponent(link.currency), 'half-even').toString();
  return decimalToMinor(decimal, 6).toString();
}

function differs(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) !== Number(b);
  return a !== b;
}

/** The fields a change moves from `previous` to `next`. */
export function changedFields(previous: State, next: State): Field[] {
  return (['status', 'budget'] as const).filter((field) => field in next && differs(previous[field], next[field]));
}

/** One outbox row per field the change moves, in the platform's terms. */
function outboxRows(link: PlatformLink, change: BatchChange) {
  return changedFields(change.previousState, change.newState).map((field) =>
    field === 'status'
      ? { field, from: link.platform_status, to: platformStatus(link.platform, change.newState.status) }
      : { field, from: link.platform_daily_budget, to: platformBudget(link, change.newState.budget) },
  );
}

/**
 * Queues the platform changes of these ledger rows, those recorded 'applying' on linked campaigns
 * (a rollback's row names the action it undoes). Called in the transaction that wrote the rows.
 */
export async function queuePlatformChanges(
  s: SqlSession,
  tenantId: string,
  changes: readonly BatchChange[],
  at: Date,
): Promise<void> {
  if (changes.length === 0) return;
  const rows = await s.query<{ id: string; action_type: string; reverses_action_id: string | null }>(
    `SELECT id, action_type, reverses_action_id FROM autonomous_actions
      WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status = 'applying'`,
    [tenantId, changes.map((c) => c.actionId)],
  );
  const applying = new Map(rows.map((row) => [row.id, row]));
  const links = await linksOf(
    s,
    tenantId,
    changes.map((c) => c.campaignId),
  );
  const outbox = changes.flatMap((change) => {
    const row = applying.get(change.actionId);
    const link = links.get(change.campaignId);
    if (!row || !link) return [];
    const undoes = row.action_type === 'rollback' ? row.reverses_action_id : null;
    return outboxRows(link, change).map((r) => ({ ...r, change, link, undoes }));
  });
  if (outbox.length === 0) return;
  await s.query(
    `INSERT INTO platform_changes (tenant_id, action_id, undoes_action_id, campaign_id, ad_account_id, platform,
                                   external_kind, external_id, budget_id, field, from_value, to_value,
                                   next_attempt_at, created_at, updated_at)
     SELECT $1, d.action_id, d.undoes, d.campaign_id, d.account_id, d.platform, d.kind, d.external_id, d.budget_id,
            d.field, d.from_value, d.to_value, $13, $13, $13
       FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[], $12::text[])
            AS d (action_id, undoes, campaign_id, account_id, platform, kind, external_id, budget_id, field,
                  from_value, to_value)`,
    [
      tenantId,
      outbox.map((o) => o.change.actionId),
      outbox.map((o) => o.undoes),
      outbox.map((o) => o.change.campaignId),
      outbox.map((o) => o.link.ad_account_id),
      outbox.map((o) => o.link.platform),
      outbox.map((o) => o.link.external_kind),
      outbox.map((o) => o.link.external_id),
      outbox.map((o) => o.link.budget_id),
      outbox.map((o) => o.field),
      outbox.map((o) => o.from),
      outbox.map((o) => o.to),
      at.toISOString(),
    ],
  );
}
