// The ledger as the API reads it: actions (newest first, filtered, in keyset pages) with the title
// of their campaign, the name of their rule and who decided or rolled them back (a person's name,
// an API key's, or the name a person acting from a message was known by), and the cycles that wrote them. Changing an action
// is the ledger's (src/ledger/). Every statement names its tenant (row-level security
// checks it again).
import { sql } from 'kysely';
import { isUuid } from '../../domain/ids.ts';
import type { Keyset } from '../../domain/keyset.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

function selectActions(tenantId: string) {
  return typed
    .selectFrom('autonomous_actions as a')
    .innerJoin('campaigns as c', (join) =>
      join.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.campaign_id'),
    )
    .leftJoin('autonomous_rules as r', (join) =>
      join.onRef('r.tenant_id', '=', 'a.tenant_id').onRef('r.id', '=', 'a.rule_id'),
    )
    .leftJoin('users as du', 'du.id', 'a.decided_by')
    .leftJoin('api_keys as dk', (join) =>
      join.onRef('dk.tenant_id', '=', 'a.tenant_id').onRef('dk.id', '=', 'a.decided_by_api_key'),
    )
    .leftJoin('users as ru', 'ru.id', 'a.rolled_back_by')
    .leftJoin('api_keys as rk', (join) =>
      join.onRef('rk.tenant_id', '=', 'a.tenant_id').onRef('rk.id', '=', 'a.rolled_back_by_api_key'),
    )
    .select((eb) => [
      'a.id',
      'a.campaign_id',
      'c.title as campaign_title',
      'a.rule_id',
      'r.rule_name',
      'a.cycle_id',
      'a.action_type',
      'a.status',
      'a.reason',
      'a.previous_state',
      'a.new_state',
      eb.cast<number | null>('a.confidence_score', 'float8').as('confidence_score'),
      'a.expected_impact',
      'a.actual_impact',
      'a.error',
      'a.decided_by',
      'a.decided_by_api_key',
      sql<string | null>`coalesce(du.display_name, du.email, 'API key ' || dk.name, a.decided_by_name)`.as(
        'decided_by_name',
      ),
      'a.executed_at',
      'a.rolled_back_at',
      'a.rolled_back_by',
      'a.rolled_back_by_api_key',
      sql<string | null>`coalesce(ru.display_name, ru.email, 'API key ' || rk.name, a.rolled_back_by_name)`.as(
        'rolled_back_by_name',
      ),
      'a.created_at',
      'a.updated_at',
      eb.cast<string>('a.created_at', 'text').as('sort_key'),
    ])
    .where('a.tenant_id', '=', tenantId);
}

export interface ActionFilter {
  status?: string;
  action_type?: string;
  campaign_id?: string;
  rule_id?: string;
  cycle_id?: string;
  /** Inclusive bounds on created_at. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: Keyset;
}

export function listActions(s: SqlSession, tenantId: string, filter: ActionFilter) {
  return rows(s, newestFirstPage(filtered(tenantId, filter), { at: 'a.created_at', id: 'a.id' }, filter));
}

/** The filter's conditions on the ledger's select. */
function filtered(tenantId: string, filter: Omit<ActionFilter, 'limit' | 'cursor'>) {
  let query = selectActions(tenantId);
  if (filter.status !== undefined) query = query.where('a.status', '=', filter.status);
  if (filter.action_type !== undefined) query = query.where('a.action_type', '=', filter.action_type);
  if (filter.campaign_id !== undefined) query = query.where('a.campaign_id', '=', filter.campaign_id);
  if (filter.rule_id !== undefined) query = query.where('a.rule_id', '=', filter.rule_id);
  if (filter.cycle_id !== undefined) query = query.where('a.cycle_id', '=', filter.cycle_id);
  const { from, to } = filter;
  if (from !== undefined)
    query = query.where((eb) => eb('a.created_at', '>=', eb.cast<Date>(eb.val(from), 'timestamptz')));
  if (to !== undefined) query = query.where((eb) => eb('a.created_at', '<=', eb.cast<Date>(eb.val(to), 'timestamptz')));
  return query;
}

/** The suggestions waiting for a person on these campaigns, oldest first. */
export function pendingActionsOf(s: SqlSession, tenantId: string, campaignIds: readonly string[]) {
  if (campaignIds.length === 0) return Promise.resolve([]);
  const query = typed
    .selectFrom('autonomous_actions')
    .select(['id', 'campaign_id', 'action_type', 'expected_impact', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'pending')
    .where('campaign_id', 'in', campaignIds)
    .orderBy('created_at')
    .orderBy('id');
  return rows(s, query);
}

export async function getAction(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, selectActions(tenantId).where('a.id', '=', id));
  return row;
}

/**
 * The user to record as having decided: the caller, when they are a user of the tenant. A token
 * may name a person the database does not know (and an API key names nobody): then nobody is
 * recorded rather than a reference to a missing user.
 */
export async function actingUser(s: SqlSession, userId: string | null): Promise<string | undefined> {
  if (!userId || !isUuid(userId)) return undefined;
  const [row] = await rows(s, typed.selectFrom('users').select('id').where('id', '=', userId));
  return row?.id;
}

function selectCycles(tenantId: string) {
  return typed
    .selectFrom('autonomous_cycles as y')
    .select((eb) => [
      'y.id',
      'y.triggered_by',
      'y.dry_run',
      'y.status',
      'y.summary',
      'y.error',
      'y.started_at',
      'y.finished_at',
      eb.cast<string>('y.started_at', 'text').as('sort_key'),
    ])
    .where('y.tenant_id', '=', tenantId);
}

export function listCycles(s: SqlSession, tenantId: string, filter: { limit: number; cursor?: Keyset }) {
  const query = selectCycles(tenantId);
  return rows(s, newestFirstPage(query, { at: 'y.started_at', id: 'y.id' }, filter));
}

export async function getCycle(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, selectCycles(tenantId).where('y.id', '=', id));
  return row;
}
