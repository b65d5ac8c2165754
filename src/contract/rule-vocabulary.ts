// The words a rule is written in besides its metrics (src/domain/metrics.ts): windows and
// operators, the rule types and the action each type takes. Plain lists, no zod, so the
// dashboard's form takes them as values without bundling a schema library.
export const WINDOWS = ['lifetime', '24h', '48h', '7d', 'prev_7d'] as const;
export const OPERATORS = ['<', '<=', '>', '>=', '=', '!='] as const;
export const RULE_TYPES = ['pause', 'scale', 'notify', 'post'] as const;
export const NOTIFY_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

export const ACTION_FOR_TYPE = {
  pause: 'auto_pause',
  scale: 'auto_scale_up',
  notify: 'notify',
  post: 'auto_post',
} as const;

/** Budget changes are bounded to x2 per action (a guardrail, enforced again at apply time). */
export const MAX_MULTIPLIER = 2;

export type Window = (typeof WINDOWS)[number];
export type Operator = (typeof OPERATORS)[number];
export type RuleType = (typeof RULE_TYPES)[number];
export type NotifySeverity = (typeof NOTIFY_SEVERITIES)[number];
