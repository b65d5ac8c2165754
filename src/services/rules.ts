// A tenant's rules, for /api/rules: read through the repository, written and previewed by the
// engine's rules store (src/engine/rules-store.ts), which validates every definition.
import type { Database, SqlSession } from '../db/port.ts';
import { actingUser } from '../db/repositories/actions.ts';
import * as rules from '../db/repositories/rules.ts';
import { NotFoundError } from '../domain/errors.ts';
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

/** Without is_active the rule stays on or off as it is. */
export async function replaceRule(db: Database, tenantId: string, id: string, definition: { is_active?: boolean }) {
  const current = await getRule(db, tenantId, id);
  await store.updateRule(db, tenantId, id, { ...definition, is_active: definition.is_active ?? current.is_active });
  return getRule(db, tenantId, id);
}

export function setRuleActive(db: Database, tenantId: string, id: string, active: boolean) {
  return db.transaction(async (s) => {
    if (!(await rules.setRuleActive(s, tenantId, id, active))) throw new NotFoundError(`no rule ${id}`);
    return mustGet(s, tenantId, id);
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
