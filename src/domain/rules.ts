// Autonomous rules are data: whitelisted metrics, windows and operators, validated here with the
// contract's term, condition and action schemas (src/contract/rules.ts) and evaluated by fixed SQL
// (src/engine/candidates.ts). No rule text ever becomes SQL.
import { z } from 'zod';
import { ACTION_FOR_TYPE, RULE_TYPES } from '../contract/rule-vocabulary.ts';
import { actionSchema, flatCondition, termsCondition } from '../contract/rules.ts';
import { InvalidInputError } from './errors.ts';

// The flat form reads as one term of the full form.
const flatAsFull = flatCondition.transform(({ metric, window, operator, threshold, ...rest }) => ({
  match: 'all' as const,
  terms: [{ metric, window: window ?? ('lifetime' as const), operator, threshold }],
  ...rest,
}));

type FullCondition = z.output<typeof termsCondition>;

// Chooses the form by its shape (not a union) so that errors name the real field, e.g.
// `condition.terms.0.metric` rather than "no union member matched".
export const conditionSchema = z.unknown().transform((value, ctx): FullCondition => {
  const form = value !== null && typeof value === 'object' && 'terms' in value ? termsCondition : flatAsFull;
  const parsed = form.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

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

/** The first offending field of a rule, named in the body that defines it. */
export class RuleValidationError extends InvalidInputError {
  override name = 'RuleValidationError';
  readonly field: string;
  constructor(field: string, message: string) {
    super([{ field, in: 'body', message }]);
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
