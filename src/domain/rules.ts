// Autonomous rules are data: whitelisted metrics, windows and operators, validated here and
// evaluated by fixed SQL (src/engine/candidates.ts). No rule text ever becomes SQL.
import { z } from 'zod';
import { RULE_METRICS } from './metrics.ts';

export const WINDOWS = ['lifetime', '24h', '48h', '7d', 'prev_7d'] as const;
export const OPERATORS = ['<', '<=', '>', '>=', '=', '!='] as const;
export const RULE_TYPES = ['pause', 'scale', 'notify', 'post'] as const;
/** Budget changes are bounded to x2 per action (a guardrail, enforced again at apply time). */
export const MAX_MULTIPLIER = 2;

const threshold = z.number().refine(Number.isFinite, { message: 'expects a finite number' });
const nonNegative = z.number().min(0).refine(Number.isFinite, { message: 'expects a finite number' });

export const termSchema = z
  .object({
    metric: z.enum(RULE_METRICS),
    window: z.enum(WINDOWS).default('lifetime'),
    operator: z.enum(OPERATORS),
    threshold,
  })
  .strict();

const gates = {
  min_spend: nonNegative.optional(),
  min_conversions: z.number().int().min(0).optional(),
  min_hours_running: nonNegative.optional(),
};

const fullCondition = z
  .object({ match: z.enum(['all', 'any']).default('all'), terms: z.array(termSchema).min(1).max(10), ...gates })
  .strict();

// The seeds' flat form, e.g. {"metric": "roi", "operator": "<", "threshold": 1.5, "min_spend": 100}.
const flatCondition = z
  .object({
    metric: z.enum(RULE_METRICS),
    window: z.enum(WINDOWS).optional(),
    operator: z.enum(OPERATORS),
    threshold,
    ...gates,
  })
  .strict()
  .transform(({ metric, window, operator, threshold, ...rest }) => ({
    match: 'all' as const,
    terms: [{ metric, window: window ?? ('lifetime' as const), operator, threshold }],
    ...rest,
  }));

type FullCondition = z.output<typeof fullCondition>;

// Chooses the form by its shape (not a union) so that errors name the real field, e.g.
// `condition.terms.0.metric` rather than "no union member matched".
export const conditionSchema = z.unknown().transform((value, ctx): FullCondition => {
  const form = value !== null && typeof value === 'object' && 'terms' in value ? fullCondition : flatCondition;
  const parsed = form.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto_pause') }).strict(),
  z
    .object({
      type: z.literal('auto_scale_up'),
      multiplier: z.number().gt(1).max(MAX_MULTIPLIER),
      max_budget: z.number().positive().optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('notify'), severity: z.enum(['critical', 'high', 'medium', 'low', 'info']).optional() })
    .strict(),
  z.object({ type: z.literal('auto_post') }).strict(),
]);

const ACTION_FOR_TYPE = { pause: 'auto_pause', scale: 'auto_scale_up', notify: 'notify', post: 'auto_post' } as const;

export const ruleSchema = z
  .object({
    rule_name: z.string().trim().min(1).max(200),
    rule_type: z.enum(RULE_TYPES),
    description: z.string().max(2000).nullish(),
    priority: z.number().int().min(0).max(1000),
    is_active: z.boolean().default(true),
    condition: conditionSchema,
    action: actionSchema,
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (ACTION_FOR_TYPE[rule.rule_type] !== rule.action.type) {
      ctx.addIssue({
        code: 'custom',
        path: ['action', 'type'],
        message: `a ${rule.rule_type} rule takes action ${ACTION_FOR_TYPE[rule.rule_type]}`,
      });
    }
  });

export type RuleInput = z.input<typeof ruleSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type Condition = z.output<typeof conditionSchema>;
export type RuleAction = z.output<typeof actionSchema>;
export type Term = z.output<typeof termSchema>;

export class RuleValidationError extends Error {
  override name = 'RuleValidationError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** Validates a rule; the error names the first offending field, e.g. `condition.terms.0.metric`. */
export function parseRule(input: unknown): Rule {
  const parsed = ruleSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new RuleValidationError(issue.path.join('.') || 'rule', issue.message);
}
