// The ledger as the API reads it: actions (newest first, filtered, in keyset pages) with the title
// of their campaign and the name of their rule, and the cycles that wrote them. Changing an action
// is the ledger's (src/ledger/). Every statement names its tenant (row-level security
// checks it again).
import { isUuid } from '../../domain/ids.ts';
import type { Keyset } from '../../domain/keyset.ts';
import type { SqlSession } from '../port.ts';

const ACTION_SELECT = `
  SELECT a.id, a.campaign_id, c.title AS campaign_title, a.rule_id, r.rule_name, a.cycle_id, a.action_type,
         a.status, a.reason, a.previous_state, a.new_state, a.confidence_score::float8 AS confidence_score,
         a.expected_impact, a.actual_impact, a.error, a.decided_by, a.executed_at, a.rolled_back_at,
         a.rolled_back_by, a.created_at, a.updated_at, a.created_at::text AS sort_key
    FROM autonomous_actions a
    JOIN campaigns c ON c.tenant_id = a.tenant_id AND c.id = a.campaign_id
    LEFT JOIN autonomous_rules r ON r.tenant_id = a.tenant_id AND r.id = a.rule_id`;

export interface ActionRow {
  id: string;
  status: string;
  sort_key: string;
  [column: string]: unknown;
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

export async function listActions(s: SqlSession, tenantId: string, filter: ActionFilter): Promise<ActionRow[]> {
  return s.query<ActionRow>(
    `${ACTION_SELECT}
      WHERE a.tenant_id = $1
        AND ($2::text IS NULL OR a.status = $2)
        AND ($3::text IS NULL OR a.action_type = $3)
        AND ($4::uuid IS NULL OR a.campaign_id = $4)
        AND ($5::uuid IS NULL OR a.rule_id = $5)
        AND ($6::uuid IS NULL OR a.cycle_id = $6)
        AND ($7::timestamptz IS NULL OR a.created_at >= $7)
        AND ($8::timestamptz IS NULL OR a.created_at <= $8)
        AND ($9::timestamptz IS NULL OR (a.created_at, a.id) < ($9::timestamptz, $10::uuid))
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT $11`,
    [
      tenantId,
      filter.status ?? null,
      filter.action_type ?? null,
      filter.campaign_id ?? null,
      filter.rule_id ?? null,
      filter.cycle_id ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.cursor?.after ?? null,
      filter.cursor?.id ?? null,
      filter.limit + 1,
    ],
  );
}

export async function getAction(s: SqlSession, tenantId: string, id: string): Promise<ActionRow | undefined> {
  const [row] = await s.query<ActionRow>(`${ACTION_SELECT} WHERE a.tenant_id = $1 AND a.id = $2`, [tenantId, id]);
  return row;
}

/**
 * The user to record as having decided: the caller, when they are a user of the tenant. A token
 * may name a person the database does not know (and an API key names nobody): then nobody is
 * recorded rather than a reference to a missing user.
 */
export async function actingUser(s: SqlSession, userId: string | null): Promise<string | undefined> {
  if (!userId || !isUuid(userId)) return undefined;
  const [row] = await s.query<{ id: string }>('SELECT id FROM users WHERE id = $1', [userId]);
  return row?.id;
}

const CYCLE_SELECT = `
  SELECT y.id, y.triggered_by, y.dry_run, y.status, y.summary, y.error, y.started_at, y.finished_at,
         y.started_at::text AS sort_key
    FROM autonomous_cycles y`;

export interface CycleRow {
  id: string;
  sort_key: string;
  [column: string]: unknown;
}

export async function listCycles(
  s: SqlSession,
  tenantId: string,
  filter: { limit: number; cursor?: Keyset },
): Promise<CycleRow[]> {
  return s.query<CycleRow>(
    `${CYCLE_SELECT}
      WHERE y.tenant_id = $1
        AND ($2::timestamptz IS NULL OR (y.started_at, y.id) < ($2::timestamptz, $3::uuid))
      ORDER BY y.started_at DESC, y.id DESC
      LIMIT $4`,
    [tenantId, filter.cursor?.after ?? null, filter.cursor?.id ?? null, filter.limit + 1],
  );
}

export async function getCycle(s: SqlSession, tenantId: string, id: string): Promise<CycleRow | undefined> {
  const [row] = await s.query<CycleRow>(`${CYCLE_SELECT} WHERE y.tenant_id = $1 AND y.id = $2`, [tenantId, id]);
  return row;
}
