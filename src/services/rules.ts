// A tenant's rules, for /api/rules: read through the repository, written and previewed by the
// engine's rules store (src/engine/rules-store.ts), which validates every definition.
import type { Database, SqlSession } from '../db/port.ts';
import { actingUser } from '../db/repositories/actions.ts';
import * as changes from '../db/repositories/rule-changes.ts';
import * as rules from '../db/repositories/rules.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Keyset } from '../domain/keyset.ts';
import * as store from '../engine/rules-store.ts';

async function mustGet(s: SqlSession, tenantId: string, id: string): Promise<rules.RuleRow> {
  const row = await rules.getRule(s, tenantId, id);
  if (!row) throw new NotFoundError(`no rule ${id}`);
  return row;
}

export function listRules(db: Database, tenantId: string, filter: rules.RuleFilter = {}) {
  return db.session((s) => rules.listRules(s, tenantId, filter));
}

export function getRule(db: Database, tenantId: string, id: string) {
  return db.session((s) => mustGet(s, tenantId, id));
}

/** Created by the person behind the token, if the database knows them. */
export async function createRule(db: Database, tenantId: string, definition: unknown, userId: string | null) {
  const user = await db.session((s) => actingUser(s, userId));
  const { id } = await store.createRule(db, tenantId, definition, user);
  return getRule(db, tenantId, id);
}

/** Without is_active the rule stays on or off as it is. The rule's history names the person behind the token. */
export async function replaceRule(
  db: Database,
  tenantId: string,
  id: string,
  definition: { is_active?: boolean },
  userId: string | null,
) {
  const current = await getRule(db, tenantId, id);
  const user = (await db.session((s) => actingUser(s, userId))) ?? null;
  const next = { ...definition, is_active: definition.is_active ?? current.is_active };
  await store.updateRule(db, tenantId, id, next, user);
  return getRule(db, tenantId, id);
}

/** A switch that changes the rule goes into its history; one that leaves it as it was does not. */
export function setRuleActive(db: Database, tenantId: string, id: string, active: boolean, userId: string | null) {
  return db.transaction(async (s) => {
    const before = await changes.ruleDefinition(s, tenantId, id);
    if (!before || !(await rules.setRuleActive(s, tenantId, id, active))) throw new NotFoundError(`no rule ${id}`);
    if (before.is_active !== active) {
      const kind = active ? 'switched_on' : 'switched_off';
      const user = (await actingUser(s, userId)) ?? null;
      await changes.recordRuleChange(s, tenantId, {
        ruleId: id,
        kind,
        before,
        after: { ...before, is_active: active },
        userId: user,
      });
    }
    return mustGet(s, tenantId, id);
  });
}

/** The rule's history, newest first; a rule that does not exist is a 404, not an empty history. */
export function listRuleChanges(db: Database, tenantId: string, id: string, page: { limit: number; cursor?: Keyset }) {
  return db.session(async (s) => {
    await mustGet(s, tenantId, id);
    return changes.listRuleChanges(s, tenantId, id, page);
  });
}

/** The rules in their new order, highest priority first. */
export async function reorderRules(db: Database, tenantId: string, ruleIds: readonly string[]) {
  await store.reorderRules(db, tenantId, ruleIds);
  return listRules(db, tenantId);
}

export function deleteRule(db: Database, tenantId: string, id: string) {
  return store.deleteRule(db, tenantId, id);
}

export function previewRule(db: Database, tenantId: string, target: store.PreviewTarget, backtestDays: number) {
  return store.previewRule(db, tenantId, target, { backtestDays });
}
