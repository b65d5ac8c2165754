// /api/rules: a tenant's autonomous rules. Read (highest priority first), create and replace
// (validated by the domain's rule schema), switch on or off, reorder, delete (only a rule the
// ledger never refers to), and preview: what one rule, stored or not, would do now (nothing is
// written).
import { z } from 'zod';
import { pageSchema } from '../contract/page.ts';
import { RULE_TYPES } from '../contract/rule-vocabulary.ts';
import { conditionForms, ruleChange, ruleList, rulePreview, ruleRecord } from '../contract/rules.ts';
import { conditionSchema, ruleSchema } from '../domain/rules.ts';
import { PREVIEW_BACKTEST_DAYS } from '../engine/rules-store.ts';
import {
  createRule,
  deleteRule,
  getRule,
  listRuleChanges,
  listRules,
  previewRule,
  reorderRules,
  replaceRule,
  setRuleActive,
} from '../services/rules.ts';
import { pageQuery, toPage } from './pagination.ts';
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
    async ({ c, db, principal, query }) => c.json({ data: await listRules(db, principal.tenantId, query) }),
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
    async ({ c, db, principal, params }) => c.json(await getRule(db, principal.tenantId, params.id)),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/rules/{id}/changes',
      tag,
      summary: 'A rule’s history, newest first',
      description:
        'Each creation, edit and switch on or off, with the definition before and after and who made it. A reorder is not an entry; a deleted rule’s history goes with it.',
      access: 'viewer',
      params: idParams,
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of changes', schema: pageSchema(ruleChange) } },
    },
    async ({ c, db, principal, params, query }) =>
      c.json(toPage(await listRuleChanges(db, principal.tenantId, params.id, query), query.limit)),
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
      const row = await createRule(db, principal.tenantId, body, principal.userId);
      return c.json(row, 201, { location: `/api/rules/${row.id}` });
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
    async ({ c, db, principal, params, body }) =>
      c.json(await replaceRule(db, principal.tenantId, params.id, body, principal.userId)),
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
    async ({ c, db, principal, params, body }) =>
      c.json(await setRuleActive(db, principal.tenantId, params.id, body.is_active, principal.userId)),
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
    async ({ c, db, principal, body }) => c.json({ data: await reorderRules(db, principal.tenantId, body.rule_ids) }),
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
      await deleteRule(db, principal.tenantId, params.id);
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
      c.json(await previewRule(db, principal.tenantId, { ruleId: params.id }, query.days)),
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
      c.json(await previewRule(db, principal.tenantId, { definition: body }, query.days)),
  );
}
