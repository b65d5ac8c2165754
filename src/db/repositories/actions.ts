// The ledger as the API reads it: actions (newest first, filtered, in keyset pages) with the title
// of their campaign and the name of their rule, and the cycles that wrote them. Changing an action
// is the ledger's (src/ledger/). Every statement names its tenant (row-level security
// checks it again).
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
      'a.executed_at',
      'a.rolled_back_at',
      'a.rolled_back_by',
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
  return rows(s, newestFirstPage(query, { at: 'a.created_at', id: 'a.id' }, filter));
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
