// A rule's history: each creation, edit and switch, with the definition before and after and who
// changed it. Written by whatever changes the rule, in the same transaction (the rules store, the
// rules service's switch); read newest first for GET /api/rules/{id}/changes.
import type { Keyset } from '../../domain/keyset.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

export type RuleChangeKind = 'created' | 'edited' | 'switched_on' | 'switched_off';

/** A rule's definition as its history keeps it: what a person sets, not its bookkeeping. */
export async function ruleDefinition(s: SqlSession, tenantId: string, ruleId: string) {
  const [row] = await rows(
    s,
    typed
      .selectFrom('autonomous_rules')
      .select(['rule_name', 'rule_type', 'description', 'priority', 'is_active', 'condition', 'action'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', ruleId)
      .forUpdate(),
  );
  return row;
}
export type RuleDefinition = NonNullable<Awaited<ReturnType<typeof ruleDefinition>>>;

export async function recordRuleChange(
  s: SqlSession,
  tenantId: string,
  change: {
    ruleId: string;
    kind: RuleChangeKind;
    before: RuleDefinition | null;
    after: RuleDefinition;
    userId: string | null;
  },
): Promise<void> {
  await rows(
    s,
    typed.insertInto('rule_changes').values({
      tenant_id: tenantId,
      rule_id: change.ruleId,
      change: change.kind,
      before: change.before === null ? null : JSON.stringify(change.before),
      after: JSON.stringify(change.after),
      changed_by: change.userId,
    }),
  );
}

export function listRuleChanges(
  s: SqlSession,
  tenantId: string,
  ruleId: string,
  page: { limit: number; cursor?: Keyset | undefined },
) {
  const query = typed
    .selectFrom('rule_changes as c')
    .leftJoin('users as u', 'u.id', 'c.changed_by')
    .select((eb) => [
      'c.id',
      'c.change',
      'c.before',
      'c.after',
      'c.changed_by',
      eb.fn.coalesce('u.display_name', 'u.email').as('changed_by_name'),
      'c.changed_at',
      eb.cast<string>('c.changed_at', 'text').as('sort_key'),
    ])
    .where('c.tenant_id', '=', tenantId)
    .where('c.rule_id', '=', ruleId);
  return rows(s, newestFirstPage(query, { at: 'c.changed_at', id: 'c.id' }, page));
}
