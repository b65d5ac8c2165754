// A rule in plain words, and the editable draft the form keeps as strings (so an emptied input
// reaches the API, which names it). The rules API's shapes are the server's own (src/contract/).
import type { NotifySeverity, Operator, RuleType, Window } from '../../../src/contract/rule-vocabulary.ts';
import type { RuleAction, RuleRecord, StoredCondition, Term } from '../../../src/contract/rules.ts';
import type { TenantRecord } from '../../../src/contract/tenants.ts';
import { metricName, type RuleMetric, unitOf } from '../../../src/domain/metrics.ts';
import { money } from '../lib/format.ts';

/** The tenant fields this tab uses (GET /api/tenants/{id}). */
export type Tenant = Pick<TenantRecord, 'id' | 'autonomous_enabled' | 'guardrails'>;

const WINDOW_LABELS: Record<Window, string> = {
  lifetime: 'lifetime',
  '24h': 'last 24 h',
  '48h': 'last 48 h',
  '7d': 'last 7 days',
  prev_7d: 'the 7 days before',
};
export const windowLabel = (window: Window) => WINDOW_LABELS[window] ?? window;

/** How a threshold is written for its metric: rates are fractions, amounts in the tenant's currency. */
export function unitHint(metric: RuleMetric, currency: string): string {
  switch (unitOf(metric)) {
    case 'multiple':
      return '× (1 = break-even)';
    case 'rate':
      return 'fraction (0.02 = 2%)';
    case 'money':
      return currency;
    case 'count':
      return 'count';
  }
}

function thresholdText(metric: RuleMetric, value: number, currency: string): string {
  const unit = unitOf(metric);
  if (unit === 'rate') return `${+(value * 100).toFixed(2)}%`;
  if (unit === 'money') return money(value, currency);
  return String(value);
}

const OPERATOR_SIGNS: Record<Operator, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '=': '=', '!=': '≠' };
export const operatorSign = (operator: Operator) => OPERATOR_SIGNS[operator] ?? operator;

/** The terms of either condition form. */
export function termsOf(condition: StoredCondition): { match: 'all' | 'any'; terms: Term[] } {
  if ('terms' in condition) return { match: condition.match ?? 'all', terms: condition.terms };
  const { metric, window, operator, threshold } = condition;
  return { match: 'all', terms: [{ metric, window: window ?? 'lifetime', operator, threshold }] };
}

/** E.g. "ROI < 0.5 (lifetime) and min spend $100.00". */
export function conditionText(condition: StoredCondition, currency: string): string {
  const { match, terms } = termsOf(condition);
  const parts = terms.map(
    (t) =>
      `${metricName(t.metric)} ${operatorSign(t.operator)} ${thresholdText(t.metric, t.threshold, currency)} (${windowLabel(t.window ?? 'lifetime')})`,
  );
  let text = parts.join(match === 'any' ? ' or ' : ' and ');
  const gates: string[] = [];
  if (condition.min_spend !== undefined) gates.push(`min spend ${money(condition.min_spend, currency)}`);
  if (condition.min_conversions !== undefined) gates.push(`min ${condition.min_conversions} conversions`);
  if (condition.min_hours_running !== undefined) gates.push(`running ${condition.min_hours_running} h+`);
  if (gates.length > 0) {
    if (match === 'any' && parts.length > 1) text = `(${text})`;
    text = `${text} and ${gates.join(' and ')}`;
  }
  return text;
}

/** E.g. "Scale budget ×1.5, up to $5,000.00". */
export function actionText(action: RuleAction, currency: string): string {
  switch (action.type) {
    case 'auto_pause':
      return 'Pause the campaign';
    case 'auto_scale_up':
      return `Scale budget ×${action.multiplier}${action.max_budget === undefined ? '' : `, up to ${money(action.max_budget, currency)}`}`;
    case 'notify':
      return `Notify${action.severity ? ` (${action.severity})` : ''}`;
    case 'auto_post':
      return 'Post about the campaign';
    default:
      return (action as { type: string }).type;
  }
}

// --- The form's draft -------------------------------------------------------------------------

export interface TermDraft {
  /** Stable identity for React while terms are added and removed. */
  key: number;
  metric: RuleMetric;
  window: Window;
  operator: Operator;
  threshold: string;
}

export interface RuleDraft {
  rule_name: string;
  rule_type: RuleType;
  description: string;
  priority: string;
  is_active: boolean;
  match: 'all' | 'any';
  terms: TermDraft[];
  min_spend: string;
  min_conversions: string;
  min_hours_running: string;
  multiplier: string;
  max_budget: string;
  severity: NotifySeverity | '';
}

let nextKey = 1;
export function newTerm(term?: Term): TermDraft {
  return {
    key: nextKey++,
    metric: term?.metric ?? 'roi',
    window: term?.window ?? 'lifetime',
    operator: term?.operator ?? '<',
    threshold: term ? String(term.threshold) : '',
  };
}

const text = (value: number | undefined) => (value === undefined ? '' : String(value));

export function draftOf(rule: RuleRecord): RuleDraft {
  const { match, terms } = termsOf(rule.condition);
  const action = rule.action;
  return {
    rule_name: rule.rule_name,
    rule_type: rule.rule_type,
    description: rule.description ?? '',
    priority: String(rule.priority),
    is_active: rule.is_active,
    match,
    terms: terms.map(newTerm),
    min_spend: text(rule.condition.min_spend),
    min_conversions: text(rule.condition.min_conversions),
    min_hours_running: text(rule.condition.min_hours_running),
    multiplier: action.type === 'auto_scale_up' ? String(action.multiplier) : '1.5',
    max_budget: action.type === 'auto_scale_up' ? text(action.max_budget) : '',
    severity: action.type === 'notify' ? (action.severity ?? '') : '',
  };
}

export function emptyDraft(): RuleDraft {
  return {
    rule_name: '',
    rule_type: 'pause',
    description: '',
    priority: '50',
    is_active: true,
    match: 'all',
    terms: [newTerm()],
    min_spend: '',
    min_conversions: '',
    min_hours_running: '',
    multiplier: '1.5',
    max_budget: '',
    severity: '',
  };
}

/** A required number: an empty input is sent as null so the API names the field. */
const required = (value: string) => (value.trim() === '' ? null : Number(value));
/** An optional number: an empty input is left out. */
const optional = (value: string) => (value.trim() === '' ? undefined : Number(value));

/** The request body (POST /api/rules, PUT /api/rules/{id}, POST /api/rules/preview). */
export function definitionOf(draft: RuleDraft): Record<string, unknown> {
  const actionByType = {
    pause: { type: 'auto_pause' },
    scale: { type: 'auto_scale_up', multiplier: required(draft.multiplier), max_budget: optional(draft.max_budget) },
    notify: { type: 'notify', severity: draft.severity || undefined },
    post: { type: 'auto_post' },
  };
  return {
    rule_name: draft.rule_name,
    rule_type: draft.rule_type,
    description: draft.description.trim() === '' ? null : draft.description,
    priority: required(draft.priority),
    is_active: draft.is_active,
    condition: {
      match: draft.match,
      terms: draft.terms.map((t) => ({
        metric: t.metric,
        window: t.window,
        operator: t.operator,
        threshold: required(t.threshold),
      })),
      min_spend: optional(draft.min_spend),
      min_conversions: optional(draft.min_conversions),
      min_hours_running: optional(draft.min_hours_running),
    },
    action: actionByType[draft.rule_type],
  };
}
