// Creating and editing a tenant's rules: validated before anything is written, so an invalid
// rule is refused with the field it got wrong and nothing is stored.
import type { Database } from '../db/port.ts';
import { parseRule, type Rule } from '../domain/rules.ts';

export interface StoredRule extends Rule {
  id: string;
}

export class RuleNotFoundError extends Error {
  override name = 'RuleNotFoundError';
}

/** A rule's definition as parameters, in column order: name, type, description, priority,
 * is_active, condition, action. */
function definitionValues(rule: Rule): unknown[] {
  return [
    rule.rule_name,
    rule.rule_type,
    rule.description ?? null,
    rule.priority,
    rule.is_active,
    JSON.stringify(rule.condition),
    JSON.stringify(rule.action),
  ];
}

export async function createRule(
  db: Database,
  tenantId: string,
  input: unknown,
  createdBy?: string,
): Promise<StoredRule> {
  const rule = parseRule(input);
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      `INSERT INTO autonomous_rules (tenant_id, rule_name, rule_type, description, priority, is_active, condition, action, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [tenantId, ...definitionValues(rule), createdBy ?? null],
    ),
  );
  return { id: row!.id, ...rule };
}

/** Replaces a rule's definition (the whole rule is validated again). */
export async function updateRule(db: Database, tenantId: string, ruleId: string, input: unknown): Promise<StoredRule> {
  const rule = parseRule(input);
  const rows = await db.session((s) =>
    s.query(
      `UPDATE autonomous_rules SET rule_name = $3, rule_type = $4, description = $5, priority = $6, is_active = $7,
              condition = $8, action = $9, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [tenantId, ruleId, ...definitionValues(rule)],
    ),
  );
  if (rows.length === 0) throw new RuleNotFoundError(`no rule ${ruleId}`);
  return { id: ruleId, ...rule };
}
