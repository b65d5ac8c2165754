// The outbox of changes to ad platforms (table platform_changes; rows are queued by the ledger in
// src/ledger/kinds/platform-change.ts and ended by it in src/ledger/platform-outcomes.ts, which
// own the ledger rows they move): the delivery worker's claim and its reads, and the list the API
// shows. The claim (FOR UPDATE SKIP LOCKED, attempts + 1) is SQL text: its locking clause is the point.
import type { Keyset } from '../../domain/keyset.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

export interface ClaimedChange {
  id: string;
  action_id: string;
  undoes_action_id: string | null;
  campaign_id: string;
  ad_account_id: string;
  platform: 'meta' | 'google_ads';
  external_kind: string;
  external_id: string;
  budget_id: string | null;
  field: 'status' | 'budget';
  from_value: string | null;
  to_value: string;
  /** This attempt's number (the claim counted it): every later write is fenced by it. */
  attempts: number;
  /** The status before the claim: 'sending' when a worker died holding it. */
  was: 'queued' | 'sending';
}

/**
 * Claims the tenant's due rows whose account is connected: queued ones due now, and 'sending' ones
 * claimed before `staleBefore` (their worker died). One short transaction, committed before any
 * platform call, so workers split the rows between them.
 */
export function claimDueChanges(
  s: SqlSession,
  tenantId: string,
  at: { now: Date; staleBefore: Date },
  limit: number,
): Promise<ClaimedChange[]> {
  return s.query<ClaimedChange>(
    `WITH due AS (
       SELECT p.id, p.status AS was
         FROM platform_changes p
         JOIN ad_accounts a ON a.tenant_id = p.tenant_id AND a.id = p.ad_account_id
        WHERE p.tenant_id = $1 AND a.status = 'connected'
          AND ((p.status = 'queued' AND p.next_attempt_at <= $2) OR (p.status = 'sending' AND p.claimed_at < $3))
        ORDER BY p.next_attempt_at, p.id
        LIMIT $4
          FOR UPDATE OF p SKIP LOCKED)
     UPDATE platform_changes p
        SET status = 'sending', attempts = p.attempts + 1, claimed_at = $2, updated_at = $2
       FROM due
      WHERE p.tenant_id = $1 AND p.id = due.id
     RETURNING p.id, p.action_id, p.undoes_action_id, p.campaign_id, p.ad_account_id, p.platform, p.external_kind,
               p.external_id, p.budget_id, p.field, p.from_value, p.to_value, p.attempts, due.was`,
    [tenantId, at.now.toISOString(), at.staleBefore.toISOString(), limit],
  );
}

/**
 * When the budgets of these platform objects of an ad account were changed through Nightshift
 * since `since`, newest first per object (Meta allows an ad set 4 budget changes an hour): one
 * read for a run's rows.
 */
export async function recentBudgetChanges(
  s: SqlSession,
  tenantId: string,
  adAccountId: string,
  externalIds: readonly string[],
  since: Date,
): Promise<Map<string, Date[]>> {
  const rows = await s.query<{ external_id: string; confirmed_at: Date | string }>(
    `SELECT external_id, confirmed_at FROM platform_changes
      WHERE tenant_id = $1 AND ad_account_id = $2 AND external_id = ANY($3::text[]) AND field = 'budget'
        AND status = 'confirmed' AND confirmed_at > $4
      ORDER BY external_id, confirmed_at DESC`,
    [tenantId, adAccountId, externalIds, since.toISOString()],
  );
  const changes = new Map<string, Date[]>();
  for (const row of rows) {
    const list = changes.get(row.external_id);
    if (list) list.push(new Date(row.confirmed_at));
    else changes.set(row.external_id, [new Date(row.confirmed_at)]);
  }
  return changes;
}

export interface PlatformChangeFilter {
  status?: string;
  campaign_id?: string;
  action_id?: string;
  limit: number;
  cursor?: Keyset;
}

/** The tenant's changes, newest first, with each campaign's title and account's currency (for words). */
export function listPlatformChanges(s: SqlSession, tenantId: string, filter: PlatformChangeFilter) {
  let query = typed
    .selectFrom('platform_changes as p')
    .innerJoin('campaigns as c', (join) =>
      join.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.id', '=', 'p.campaign_id'),
    )
    .innerJoin('ad_accounts as a', (join) =>
      join.onRef('a.tenant_id', '=', 'p.tenant_id').onRef('a.id', '=', 'p.ad_account_id'),
    )
    .select((eb) => [
      'p.id',
      'p.action_id',
      'p.undoes_action_id',
      'p.campaign_id',
      'c.title as campaign_title',
      'p.ad_account_id',
      'a.currency',
      'p.platform',
      'p.external_kind',
      'p.external_id',
      'p.field',
      'p.from_value',
      'p.to_value',
      'p.status',
      'p.attempts',
      'p.next_attempt_at',
      'p.last_error',
      'p.confirmed_at',
      'p.created_at',
      'p.updated_at',
      eb.cast<string>('p.created_at', 'text').as('sort_key'),
    ])
    // The CHECK constraints of migration 0032.
    .$narrowType<{
      platform: 'meta' | 'google_ads';
      field: 'status' | 'budget';
      status: 'queued' | 'sending' | 'confirmed' | 'failed';
    }>()
    .where('p.tenant_id', '=', tenantId);
  if (filter.status !== undefined) query = query.where('p.status', '=', filter.status);
  if (filter.campaign_id !== undefined) query = query.where('p.campaign_id', '=', filter.campaign_id);
  if (filter.action_id !== undefined) query = query.where('p.action_id', '=', filter.action_id);
  return rows(s, newestFirstPage(query, { at: 'p.created_at', id: 'p.id' }, filter));
}

export type PlatformChangeRow = Awaited<ReturnType<typeof listPlatformChanges>>[number];

/** The tenant's queued rows, unclaimed (a dry run reads them without taking them). */
export function queuedChanges(s: SqlSession, tenantId: string, limit: number): Promise<ClaimedChange[]> {
  return s.query<ClaimedChange>(
    `SELECT id, action_id, undoes_action_id, campaign_id, ad_account_id, platform, external_kind, external_id,
            budget_id, field, from_value, to_value, attempts, status AS was
       FROM platform_changes WHERE tenant_id = $1 AND status = 'queued'
      ORDER BY next_attempt_at, id LIMIT $2`,
    [tenantId, limit],
  );
}
