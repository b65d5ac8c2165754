// /api/rules: a tenant's autonomous rules. Read (highest priority first), create and replace
// (validated by the domain's rule schema), switch on or off, reorder, delete (only a rule the
// ledger never refers to), and preview: what one rule, stored or not, would do now (nothing is
// written).
import { z } from 'zod';
import { RULE_TYPES } from '../contract/rule-vocabulary.ts';
import { conditionForms, ruleList, rulePreview, ruleRecord } from '../contract/rules.ts';
import type { Database, SqlSession } from '../db/port.ts';
import { actingUser } from '../db/repositories/actions.ts';
import { getRule, listRules, type RuleRow, setRuleActive } from '../db/repositories/rules.ts';
import { conditionSchema, RuleValidationError, ruleSchema } from '../domain/rules.ts';
import {
  createRule,
  deleteRule,
  PREVIEW_BACKTEST_DAYS,
  type PreviewTarget,
  previewRule,
  RuleInUseError,
  RuleNotFoundError,
  reorderRules,
  updateRule,
} from '../engine/rules-store.ts';
import { invalid, ProblemError } from '../server/problem.ts';
import type { ApiRouter } from './router.ts';
import { idParams, queryBoolean, uuid } from './schemas.ts';

// The domain's conditionSchema reads either form by its shape, which JSON Schema cannot show: its
// documented forms stand in for it.
const { $schema: _, ...conditionDoc } = z.toJSONSchema(conditionForms, { target: 'draft-2020-12', io: 'input' });

/** The domain's rule schema, its condition documented. */
const ruleBody = ruleSchema.safeExtend({ condition: conditionSchema.meta(conditionDoc) });
/** The same, but is_active may be left out; the rules store checks the whole definition again
 * (the action matching the rule type among it). */
const replaceBody = z.strictObject({
  ...ruleBody.shape,
  is_active: z.boolean().optional().describe('Left out: the rule stays as active as it is'),
});

const previewQuery = z.strictObject({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(90)
    .default(PREVIEW_BACKTEST_DAYS)
    .describe(`Days the backtest replays, 1 to 90 (${PREVIEW_BACKTEST_DAYS} when left out)`),
});

async function mustGet(s: SqlSession, tenantId: string, id: string): Promise<RuleRow> {
  const row = await getRule(s, tenantId, id);
  if (!row) throw new ProblemError(404, `no rule ${id}`);
  return row;
}

/** The rules store's errors as problems. */
async function asProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RuleValidationError) {
      throw invalid([{ field: error.field, in: 'body', message: error.message.slice(error.field.length + 2) }]);
    }
    if (error instanceof RuleNotFoundError) throw new ProblemError(404, error.message);
    if (error instanceof RuleInUseError) throw new ProblemError(409, error.message);
    throw error;
  }
}

export function ruleRoutes(api: ApiRouter): void {
  const tag = 'Rules';
  const one = { description: 'The rule', schema: ruleRecord };
  const list = { description: 'The rules, highest priority first', schema: ruleList };

  api.tenant(
    {
      method: 'get',
      path: '/api/rules',
      tag,
      summary: 'List the rules, highest priority first',
      access: 'viewer',
      query: z.strictObject({ is_active: queryBoolean.optional(), rule_type: z.enum(RULE_TYPES).optional() }),
      responses: { 200: list },
    },
    async ({ c, db, principal, query }) => {
      const rows = await db.session((s) => listRules(s, principal.tenantId, query));
      return c.json({ data: rows });
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/rules/{id}',
      tag,
      summary: 'Read a rule',
      access: 'viewer',
      params: idParams,
      responses: { 200: one },
    },
    async ({ c, db, principal, params }) => c.json(await db.session((s) => mustGet(s, principal.tenantId, params.id))),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/rules',
      tag,
      summary: 'Create a rule',
      description: 'A rule whose name the tenant already uses answers 409.',
      access: 'admin',
      body: ruleBody,
      responses: { 201: one },
    },
    async ({ c, db, principal, body }) => {
      const user = await db.session((s) => actingUser(s, principal.userId));
      const { id } = await asProblem(() => createRule(db, principal.tenantId, body, user));
      const row = await db.session((s) => mustGet(s, principal.tenantId, id));
      return c.json(row, 201, { location: `/api/rules/${id}` });
    },
  );

  api.tenant(
    {
      method: 'put',
      path: '/api/rules/{id}',
      tag,
      summary: 'Replace a rule’s definition',
      description: 'The whole definition is validated again. Without is_active the rule stays on or off as it is.',
      access: 'admin',
      params: idParams,
      body: replaceBody,
      responses: { 200: one },
    },
    async ({ c, db, principal, params, body }) => {
      const current = await db.session((s) => mustGet(s, principal.tenantId, params.id));
      const definition = { ...body, is_active: body.is_active ?? current.is_active };
      await asProblem(() => updateRule(db, principal.tenantId, params.id, definition));
      return c.json(await db.session((s) => mustGet(s, principal.tenantId, params.id)));
    },
  );

  api.tenant(
    {
      method: 'put',
      path: '/api/rules/{id}/active',
      tag,
      summary: 'Switch a rule on or off',
      description: 'An inactive rule is kept (with its place in the ledger) but no cycle evaluates it.',
      access: 'admin',
      params: idParams,
      body: z.strictObject({ is_active: z.boolean() }),
      responses: { 200: one },
    },
    async ({ c, db, principal, params, body }) => {
      const row = await db.transaction(async (s) => {
        if (!(await setRuleActive(s, principal.tenantId, params.id, body.is_active))) {
          throw new ProblemError(404, `no rule ${params.id}`);
        }
        return mustGet(s, principal.tenantId, params.id);
      });
      return c.json(row);
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/rules/reorder',
      tag,
      summary: 'Reorder the rules',
      description:
        'rule_ids names every rule of the tenant exactly once, highest priority first. The rules take the priorities they hold now (ties pulled apart), in that order, in one transaction.',
      access: 'admin',
      body: z.strictObject({ rule_ids: z.array(uuid).min(1).max(1001) }),
      responses: { 200: list },
    },
    async ({ c, db, principal, body }) => {
      await asProblem(() => reorderRules(db, principal.tenantId, body.rule_ids));
      const rows = await db.session((s) => listRules(s, principal.tenantId));
      return c.json({ data: rows });
    },
  );

  api.tenant(
    {
      method: 'delete',
      path: '/api/rules/{id}',
      tag,
      summary: 'Delete a rule the ledger never refers to',
      description:
        'A rule that took actions stays (the ledger keeps pointing at it): that answers 409; switch it off instead (PUT /api/rules/{id}/active).',
      access: 'admin',
      params: idParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ c, db, principal, params }) => {
      await asProblem(() => deleteRule(db, principal.tenantId, params.id));
      return c.body(null, 204);
    },
  );

  const previewDescription =
    'The cycle’s dry run restricted to this one rule, as if it were the only one (in a real cycle a higher-priority rule acting on a campaign goes first; an inactive rule is previewed as if switched on): which campaigns it would pause, scale, post or notify about, whether it would act or only suggest, with confidence and reason, and which guardrails would stop it; and its backtest over the last `days` days: the money it would have saved, forgone, added and gained, and net_negative when it would have lost money. Nothing is written.';

  api.tenant(
    {
      method: 'post',
      path: '/api/rules/{id}/preview',
      tag,
      summary: 'Preview what a rule would do now',
      description: previewDescription,
      access: 'member',
      params: idParams,
      query: previewQuery,
      responses: { 200: { description: 'What the rule would do', schema: rulePreview } },
    },
    async ({ c, db, principal, params, query }) =>
      c.json(await runPreview(db, principal.tenantId, { ruleId: params.id }, query.days)),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/rules/preview',
      tag,
      summary: 'Preview what a rule definition would do now, without storing it',
      description: previewDescription,
      access: 'member',
      query: previewQuery,
      body: ruleBody,
      responses: { 200: { description: 'What the rule would do', schema: rulePreview } },
    },
    async ({ c, db, principal, body, query }) =>
      c.json(await runPreview(db, principal.tenantId, { definition: body }, query.days)),
  );
}

function runPreview(db: Database, tenantId: string, target: PreviewTarget, backtestDays: number) {
  return asProblem(() => previewRule(db, tenantId, target, { backtestDays }));
}
