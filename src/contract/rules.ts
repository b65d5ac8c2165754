// What the rules API answers: a rule as stored, and a rule's preview. The term and action schemas
// also validate (src/domain/rules.ts builds the rule definition's schema from them).
import { z } from 'zod';
import { RULE_METRICS } from '../domain/metrics.ts';
import { backtestResult } from './backtest.ts';
import { decisionReport, guardrailStopReport } from './cycles.ts';
import { timestamp, uuid } from './fields.ts';
import { MAX_MULTIPLIER, NOTIFY_SEVERITIES, OPERATORS, RULE_TYPES, WINDOWS } from './rule-vocabulary.ts';

/** A threshold or gate as JSON can carry it. */
export const finiteNumber = z.number().refine(Number.isFinite, { message: 'expects a finite number' });

export const termSchema = z
  .object({
    metric: z.enum(RULE_METRICS),
    window: z.enum(WINDOWS).default('lifetime'),
    operator: z.enum(OPERATORS),
    threshold: finiteNumber,
  })
  .strict();

export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto_pause') }).strict(),
  z
    .object({
      type: z.literal('auto_scale_up'),
      multiplier: z.number().gt(1).max(MAX_MULTIPLIER),
      max_budget: z.number().positive().optional(),
    })
    .strict(),
  z.object({ type: z.literal('notify'), severity: z.enum(NOTIFY_SEVERITIES).optional() }).strict(),
  z.object({ type: z.literal('auto_post') }).strict(),
]);

// A condition's two forms. The domain's conditionSchema (src/domain/rules.ts) validates with them,
// choosing the form by its shape so that errors name the real field; their union documents it.
const nonNegative = finiteNumber.min(0);
const gates = {
  min_spend: nonNegative.optional().describe('Not evaluated before the campaign has spent this much'),
  min_conversions: z.number().int().min(0).optional().describe('Not evaluated before this many conversions'),
  min_hours_running: nonNegative.optional().describe('Not evaluated before the campaign ran this many hours'),
};
export const termsCondition = z
  .strictObject({
    match: z.enum(['all', 'any']).default('all').describe('Whether all terms or any term must hold'),
    terms: z.array(termSchema).min(1).max(10),
    ...gates,
  })
  .describe('Terms over whitelisted metrics and windows, and gates');
/** The seeds' form, e.g. {"metric": "roi", "operator": "<", "threshold": 1.5, "min_spend": 100}. */
export const flatCondition = z
  .strictObject({
    metric: z.enum(RULE_METRICS),
    window: z.enum(WINDOWS).optional(),
    operator: z.enum(OPERATORS),
    threshold: finiteNumber,
    ...gates,
  })
  .describe('One term, flat (the seeds’ form)');
export const conditionForms = z.union([termsCondition, flatCondition]);

export const ruleRecord = z.object({
  id: uuid,
  rule_name: z.string(),
  rule_type: z.enum(RULE_TYPES),
  description: z.string().nullable(),
  priority: z.number().int().describe('0 to 1000; the cycle tries higher priorities first'),
  is_active: z.boolean(),
  condition: conditionForms,
  action: actionSchema,
  created_by: uuid.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

/** The tenant's rules, highest priority first. */
export const ruleList = z.object({ data: z.array(ruleRecord) });

/** A rule's definition as its history keeps it. */
const ruleDefinition = ruleRecord.pick({
  rule_name: true,
  rule_type: true,
  description: true,
  priority: true,
  is_active: true,
  condition: true,
  action: true,
});

/** One entry of a rule's history (GET /api/rules/{id}/changes): what changed, when, by whom. */
export const ruleChange = z.object({
  id: uuid,
  change: z.enum(['created', 'edited', 'switched_on', 'switched_off']),
  before: ruleDefinition.nullable().describe('Null for the creation'),
  after: ruleDefinition,
  changed_by: uuid.nullable().describe('Null for an API key'),
  changed_by_name: z.string().nullable().describe('The person’s name, or their e-mail'),
  changed_at: timestamp,
});

export const rulePreview = z.object({
  rule_id: uuid.nullable().describe('Null for a definition that is not stored'),
  rule_name: z.string(),
  evaluated_at: timestamp,
  decisions: z.array(decisionReport).describe('Each campaign the rule would act on or suggest for'),
  guardrail_stops: z.array(guardrailStopReport).describe('Matches a guardrail would stop'),
  backtest: backtestResult.describe(
    'The rule alone replayed over the last `days` days: the money its pauses and scales would have saved, forgone, added and gained (docs/backtest.md)',
  ),
});

export type Term = z.infer<typeof termSchema>;
export type RuleAction = z.infer<typeof actionSchema>;
/** Stored rules come back in the terms form; the flat (seed) form is read too. */
export type StoredCondition = z.infer<typeof conditionForms>;
export type RuleRecord = z.infer<typeof ruleRecord>;
export type RuleList = z.infer<typeof ruleList>;
export type RulePreview = z.infer<typeof rulePreview>;
export type RuleChange = z.infer<typeof ruleChange>;
