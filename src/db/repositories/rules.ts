// A tenant's autonomous rules as the API reads them, and the one-field switch (active or not).
// Definitions are written by the engine's rules store (src/engine/rules-store.ts), which validates
// them first. Every statement names its tenant (row-level security checks it again).
import { sql } from 'kysely';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

function selectRules(tenantId: string) {
  return typed
    .selectFrom('autonomous_rules as r')
    .select([
      'r.id',
      'r.rule_name',
      'r.rule_type',
      'r.description',
      'r.priority',
      'r.is_active',
      'r.condition',
      'r.action',
      'r.created_by',
      'r.created_at',
      'r.updated_at',
    ])
    .where('r.tenant_id', '=', tenantId);
}

export type RuleRow = Awaited<ReturnType<typeof listRules>>[number];

export interface RuleFilter {
  is_active?: boolean;
  rule_type?: string;
}

/** Every rule of the tenant, highest priority first (the order the cycle tries them). */
export function listRules(s: SqlSession, tenantId: string, filter: RuleFilter = {}) {
  let query = selectRules(tenantId);
  if (filter.is_active !== undefined) query = query.where('r.is_active', '=', filter.is_active);
  if (filter.rule_type !== undefined) query = query.where('r.rule_type', '=', filter.rule_type);
  return rows(s, query.orderBy('r.priority', 'desc').orderBy('r.rule_name').orderBy('r.id'));
}

export async function getRule(s: SqlSession, tenantId: string, id: string) {
  const [row] = await rows(s, selectRules(tenantId).where('r.id', '=', id));
  return row;
}

/** Switches a rule on or off (touching updated_at only when that changes it); false when the tenant has no such rule. */
export async function setRuleActive(s: SqlSession, tenantId: string, id: string, active: boolean): Promise<boolean> {
  const updated = await rows(
    s,
    typed
      .updateTable('autonomous_rules')
      .set((eb) => ({
        is_active: active,
        updated_at: eb.case().when('is_active', '=', active).then(eb.ref('updated_at')).else(sql<Date>`now()`).end(),
      }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning('id'),
  );
  return updated.length > 0;
}
