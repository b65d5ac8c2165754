// Creating and editing a tenant's rules: validated before anything is written, so an invalid
// rule is refused with the field it got wrong and nothing is stored. Also their order, their
// removal (never from under the ledger), and a preview of what one rule would do now.
import type { RulePreview } from '../contract/rules.ts';
import type { Database, SqlSession } from '../db/port.ts';
import { recordRuleChange, ruleDefinition } from '../db/repositories/rule-changes.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { parseRule, type Rule, RuleValidationError } from '../domain/rules.ts';
import { backtestOn } from './backtest.ts';
import { dryRunOn } from './cycle.ts';

export interface StoredRule extends Rule {
  id: string;
}

export class RuleNotFoundError extends NotFoundError {
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
  return db.transaction(async (s) => {
    const [row] = await s.query<{ id: string }>(
      `INSERT INTO autonomous_rules (tenant_id, rule_name, rule_type, description, priority, is_active, condition, action, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [tenantId, ...definitionValues(rule), createdBy ?? null],
    );
    const after = (await ruleDefinition(s, tenantId, row!.id))!;
    await recordRuleChange(s, tenantId, {
      ruleId: row!.id,
      kind: 'created',
      before: null,
      after,
      userId: createdBy ?? null,
    });
    return { id: row!.id, ...rule };
  });
}

/**
 * Replaces a rule's definition (the whole rule is validated again); a change is kept in the rule's
 * history, with who made it (null: an API key or a person the database does not know).
 */
export async function updateRule(
  db: Database,
  tenantId: string,
  ruleId: string,
  input: unknown,
  changedBy: string | null = null,
): Promise<StoredRule> {
  const rule = parseRule(input);
  await db.transaction(async (s) => {
    const before = await ruleDefinition(s, tenantId, ruleId);
    if (!before) throw new RuleNotFoundError(`no rule ${ruleId}`);
    await s.query(
      `UPDATE autonomous_rules SET rule_name = $3, rule_type = $4, description = $5, priority = $6, is_active = $7,
              condition = $8, action = $9, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, ruleId, ...definitionValues(rule)],
    );
    const after = (await ruleDefinition(s, tenantId, ruleId))!;
    // A save that changed nothing (jsonb compares by value) is not history.
    if (JSON.stringify(before) !== JSON.stringify(after))
      await recordRuleChange(s, tenantId, { ruleId, kind: 'edited', before, after, userId: changedBy });
  });
  return { id: ruleId, ...rule };
}

/** The ledger refers to the rule: deleting it would leave actions without the rule that took them. */
export class RuleInUseError extends ConflictError {
  override name = 'RuleInUseError';
  readonly actions: number;
  constructor(ruleId: string, actions: number) {
    super(`rule ${ruleId} took ${actions} action(s) in the ledger: deactivate it instead of deleting it`);
    this.actions = actions;
  }
}

/**
 * Deletes a rule nothing in the ledger refers to. A cycle that decided on the rule meanwhile
 * finds it gone when it writes (changed-since-read.ts) and records nothing of it; one writing now
 * holds the rule's row, and the delete waits for it.
 */
export async function deleteRule(db: Database, tenantId: string, ruleId: string): Promise<void> {
  await db.transaction(async (s) => {
    const [rule] = await s.query<{ actions: number }>(
      `SELECT (SELECT count(*) FROM autonomous_actions a WHERE a.tenant_id = r.tenant_id AND a.rule_id = r.id) AS actions
         FROM autonomous_rules r WHERE r.tenant_id = $1 AND r.id = $2 FOR UPDATE`,
      [tenantId, ruleId],
    );
    if (!rule) throw new RuleNotFoundError(`no rule ${ruleId}`);
    if (rule.actions > 0) throw new RuleInUseError(ruleId, rule.actions);
    await s.query('DELETE FROM autonomous_rules WHERE tenant_id = $1 AND id = $2', [tenantId, ruleId]);
  });
}

const MAX_PRIORITY = 1000;

/**
 * Strictly decreasing priorities from the current ones (sorted high to low): the numbers people
 * chose are kept where they are distinct, ties are pulled apart by the least change, all within
 * 0..1000. Undefined when there are more rules than distinct priorities.
 */
function distinctPriorities(current: readonly number[]): number[] | undefined {
  const out = [...current].sort((a, b) => b - a);
  for (let i = out.length - 2; i >= 0; i--) out[i] = Math.max(out[i]!, out[i + 1]! + 1);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(out[i]!, i === 0 ? MAX_PRIORITY : out[i - 1]! - 1);
  return out.length === 0 || out.at(-1)! >= 0 ? out : undefined;
}

/**
 * Puts the tenant's rules in the given order, highest priority first, in one transaction.
 * `ruleIds` must name every rule of the tenant exactly once (else RuleValidationError on rule_ids).
 */
export async function reorderRules(db: Database, tenantId: string, ruleIds: readonly string[]): Promise<void> {
  await db.transaction(async (s) => {
    const rules = await s.query<{ id: string; priority: number }>(
      'SELECT id, priority FROM autonomous_rules WHERE tenant_id = $1 ORDER BY id FOR UPDATE',
      [tenantId],
    );
    const known = new Set(rules.map((r) => r.id));
    const seen = new Set<string>();
    ruleIds.forEach((id, i) => {
      if (!known.has(id))
        throw new RuleValidationError('rule_ids', `rule_ids.${i} (${id}) is not a rule of the tenant`);
      if (seen.has(id)) throw new RuleValidationError('rule_ids', `rule_ids.${i} (${id}) is named twice`);
      seen.add(id);
    });
    const missing = rules.filter((r) => !seen.has(r.id)).map((r) => r.id);
    if (missing.length > 0) {
      throw new RuleValidationError('rule_ids', `must name every rule of the tenant; missing ${missing.join(', ')}`);
    }
    const priorities = distinctPriorities(rules.map((r) => r.priority));
    if (!priorities) {
      throw new RuleValidationError('rule_ids', `more than ${MAX_PRIORITY + 1} rules cannot have distinct priorities`);
    }
    await s.query(
      `UPDATE autonomous_rules r SET priority = d.priority, updated_at = now()
         FROM unnest($2::uuid[], $3::int[]) AS d (id, priority)
        WHERE r.tenant_id = $1 AND r.id = d.id AND r.priority <> d.priority`,
      [tenantId, ruleIds, priorities],
    );
  });
}

/** Days the preview's backtest replays unless asked (docs/backtest.md: what a day costs). */
export const PREVIEW_BACKTEST_DAYS = 14;

/** What to preview: a stored rule (inactive ones as if switched on), or a definition not stored. */
export type PreviewTarget = { ruleId: string } | { definition: unknown };

/**
 * What one rule would do now: the cycle's dry run restricted to that rule, as if it were the
 * tenant's only one (in a real cycle a higher-priority rule that acts on a campaign goes first),
 * and its backtest over the last `backtestDays` days, alone too.
 * The rule is put in place (switched on, or inserted) inside a transaction that is rolled back,
 * so nothing is ever written.
 */
export async function previewRule(
  db: Database,
  tenantId: string,
  target: PreviewTarget,
  options: { now?: Date; backtestDays?: number } = {},
): Promise<RulePreview> {
  const definition = 'definition' in target ? parseRule(target.definition) : undefined;
  return db.transaction(
    async (s) => {
      const rule = definition ? await placeDefinition(s, tenantId, definition) : await switchOn(s, tenantId, target);
      const result = await dryRunOn(s, tenantId, { ruleId: rule.id, now: options.now });
      return {
        rule_id: definition ? null : rule.id,
        rule_name: rule.name,
        evaluated_at: result.timestamp,
        decisions: result.decisions,
        guardrail_stops: result.guardrail_stops,
        backtest: await backtestOn(s, tenantId, {
          days: options.backtestDays ?? PREVIEW_BACKTEST_DAYS,
          now: options.now,
          ruleId: rule.id,
        }),
      };
    },
    { rollback: true },
  );
}

async function switchOn(s: SqlSession, tenantId: string, target: PreviewTarget) {
  const ruleId = (target as { ruleId: string }).ruleId;
  const [row] = await s.query<{ rule_name: string; is_active: boolean }>(
    'SELECT rule_name, is_active FROM autonomous_rules WHERE tenant_id = $1 AND id = $2',
    [tenantId, ruleId],
  );
  if (!row) throw new RuleNotFoundError(`no rule ${ruleId}`);
  if (!row.is_active) {
    await s.query('UPDATE autonomous_rules SET is_active = true WHERE tenant_id = $1 AND id = $2', [tenantId, ruleId]);
  }
  return { id: ruleId, name: row.rule_name };
}

async function placeDefinition(s: SqlSession, tenantId: string, rule: Rule) {
  // A stored rule of the same name steps aside (it is not evaluated, and this is rolled back).
  await s.query('UPDATE autonomous_rules SET rule_name = id::text WHERE tenant_id = $1 AND rule_name = $2', [
    tenantId,
    rule.rule_name,
  ]);
  const [row] = await s.query<{ id: string }>(
    `INSERT INTO autonomous_rules (tenant_id, rule_name, rule_type, description, priority, is_active, condition, action)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [tenantId, ...definitionValues({ ...rule, is_active: true })],
  );
  return { id: row!.id, name: rule.rule_name };
}
