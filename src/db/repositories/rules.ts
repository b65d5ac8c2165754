// A tenant's autonomous rules as the API reads them, and the one-field switch (active or not).
// Definitions are written by the engine's rules store (src/engine/rules-store.ts), which validates
// them first. Every statement names its tenant (row-level security checks it again).
import type { SqlSession } from '../port.ts';

const SELECT = `
  SELECT r.id, r.rule_name, r.rule_type, r.description, r.priority, r.is_active, r.condition, r.action,
         r.created_by, r.created_at, r.updated_at
    FROM autonomous_rules r`;

export interface RuleRow {
  id: string;
  rule_name: string;
  priority: number;
  is_active: boolean;
  [column: string]: unknown;
}

export interface RuleFilter {
  is_active?: boolean;
  rule_type?: string;
}

/** Every rule of the tenant, highest priority first (the order the cycle tries them). */
export async function listRules(s: SqlSession, tenantId: string, filter: RuleFilter = {}): Promise<RuleRow[]> {
  return s.query<RuleRow>(
    `${SELECT}
      WHERE r.tenant_id = $1
        AND ($2::boolean IS NULL OR r.is_active = $2)
        AND ($3::text IS NULL OR r.rule_type = $3)
      ORDER BY r.priority DESC, r.rule_name, r.id`,
    [tenantId, filter.is_active ?? null, filter.rule_type ?? null],
  );
}

export async function getRule(s: SqlSession, tenantId: string, id: string): Promise<RuleRow | undefined> {
  const [row] = await s.query<RuleRow>(`${SELECT} WHERE r.tenant_id = $1 AND r.id = $2`, [tenantId, id]);
  return row;
}

/** Switches a rule on or off; false when the tenant has no such rule. */
export async function setRuleActive(s: SqlSession, tenantId: string, id: string, active: boolean): Promise<boolean> {
  const rows = await s.query(
    `UPDATE autonomous_rules SET is_active = $3, updated_at = CASE WHEN is_active = $3 THEN updated_at ELSE now() END
      WHERE tenant_id = $1 AND id = $2 RETURNING id`,
    [tenantId, id, active],
  );
  return rows.length > 0;
}
