// Guardrails turn a rule match into an action, a suggestion, or a documented refusal.
// Pure: the caller supplies the campaign's numbers and the tenant's state.
import type { CampaignState, DecisionReport, GuardrailName } from '../contract/cycles.ts';
import { MAX_MULTIPLIER } from '../contract/rule-vocabulary.ts';
import type { GuardrailSettings } from '../contract/tenant-settings.ts';
import type { Candidate } from './candidate.ts';
import { conditionProbability } from './condition-confidence.ts';
import { conditionText, money, percent, roiText } from './decision-text.ts';
import { type ActionValue, HORIZON_DAYS, pauseValue, scaleValue } from './model/action-value.ts';
import type { PortfolioModel } from './model/portfolio-model.ts';
import {
  changedByHandRespite,
  changedOutsideRespite,
  dismissalRespite,
  rollbackRespite,
} from './respite-guardrails.ts';

export interface Proposal {
  kind: 'proposal';
  candidate: Candidate;
  actionType: DecisionReport['action_type'];
  /**
   * execute: autopilot on and the tenant's switch on; suggest: stored as pending for a human.
   * A notification changes nothing, so it is always executed.
   */
  mode: 'execute' | 'suggest';
  previousState: CampaignState;
  newState: CampaignState;
  confidence: number;
  reason: string;
  expectedImpact: string;
  /** Pauses and scales: what the action is expected to gain and risk, in money. */
  value?: ActionValue;
  /** auto_resume: the ledger row of the engine's pause it reverses. */
  reverses?: string;
}

export interface Stop {
  kind: 'stop';
  candidate: Candidate;
  guardrail: GuardrailName;
  detail: string;
}

export interface TenantContext {
  settings: GuardrailSettings;
  autonomousEnabled: boolean;
  /** The tenant's ROI model, fitted to its portfolio this cycle: every ROI judgement is made by it. */
  model: PortfolioModel;
  now: Date;
  /** Budget already added today by executed actions. */
  budgetAddedToday: number;
  currency: string;
  /** Platforms of the tenant's connected social accounts: where posts go. */
  socialPlatforms: readonly string[];
}

const HOUR_MS = 3_600_000;
const SUPERSEDES = 'It replaces the suggestion still awaiting a person: the evidence is now enough to act alone.';

type Outcome = Proposal | Stop | null;

/**
 * Decides the candidates in order (highest priority first). Per campaign the first rule the
 * guardrails allow acts, and lower rules are not tried after it: one action per campaign per
 * cycle. A stopped rule lets the next matching one try. The daily budget cap accumulates.
 *
 * A campaign whose earlier suggestion still awaits a person gets no second suggestion and no
 * stops: only an action the engine may carry out alone (autopilot on, sure enough) goes ahead,
 * and it supersedes that suggestion. Otherwise a campaign suggested at 65% would be left
 * spending for as long as nobody answered, however sure later data made the engine.
 */
export function applyGuardrails(candidates: readonly Candidate[], ctx: TenantContext): (Proposal | Stop)[] {
  const budget = { addedToday: ctx.budgetAddedToday };
  const acted = new Set<string>();
  const stopped = new Set<string>();
  const results: (Proposal | Stop)[] = [];
  for (const c of candidates) {
    if (acted.has(c.campaignId)) continue;
    const outcome = decide(c, ctx, budget);
    if (c.pendingSuggestionId !== null) {
      if (outcome?.kind !== 'proposal') continue;
      acted.add(c.campaignId);
      if (outcome.mode === 'execute') results.push({ ...outcome, reason: `${outcome.reason} ${SUPERSEDES}` });
      continue;
    }
    if (outcome?.kind === 'proposal') {
      acted.add(c.campaignId);
      results.push(outcome);
    } else if (outcome) {
      // Two rules stopped by the same guardrail (both scale rules in a cooldown) are one stop.
      const key = `${c.campaignId}:${outcome.guardrail}`;
      if (!stopped.has(key)) results.push(outcome);
      stopped.add(key);
    }
  }
  return results;
}

function decide(c: Candidate, ctx: TenantContext, budget: { addedToday: number }): Outcome {
  const rolledBack = rollbackRespite(c, ctx);
  if (rolledBack) return stop(c, 'rolled_back', rolledBack);
  const changedOutside = changedOutsideRespite(c, ctx);
  if (changedOutside) return stop(c, 'changed_outside', changedOutside);
  const changedByHand = changedByHandRespite(c, ctx);
  if (changedByHand) return stop(c, 'changed_by_hand', changedByHand);
  switch (c.ruleType) {
    case 'pause':
      return decidePause(c, ctx);
    case 'scale':
      return decideScale(c, ctx, budget);
    case 'post':
      return decidePost(c, ctx);
    case 'notify':
      return decideNotify(c, ctx);
  }
}

const stop = (candidate: Candidate, guardrail: GuardrailName, detail: string): Stop => ({
  kind: 'stop',
  candidate,
  guardrail,
  detail,
});
export const modeOf = (c: Pick<Candidate, 'autopilot'>, ctx: Pick<TenantContext, 'autonomousEnabled'>) =>
  c.autopilot && ctx.autonomousEnabled ? 'execute' : 'suggest';
const stateOf = (c: Candidate): CampaignState => ({ status: 'active', budget: c.budget, roi: c.roi });
const within = (at: Date | null, hours: number, now: Date) =>
  at !== null && now.getTime() - new Date(at).getTime() < hours * HOUR_MS;

/** Stops an action whose expected net gain is below the tenant's margin; null when it clears it. */
function belowMargin(c: Candidate, ctx: TenantContext, value: ActionValue, what: string): Stop | null {
  const margin = ctx.settings.min_expected_net_share * value.spendAtStake;
  if (value.net > margin && value.net > 0) return null;
  return stop(
    c,
    'expected_value',
    `${what} is expected to gain ${money(value.expectedGain, ctx.currency)} and lose ${money(value.expectedLoss, ctx.currency)} over ${HORIZON_DAYS} days (net ${money(value.net, ctx.currency)}, ${percent(value.confidence)} likely right): not enough to act on`,
  );
}

function valueText(value: ActionValue, ctx: TenantContext): string {
  return `Expected net ${money(value.net, ctx.currency)} over ${HORIZON_DAYS} days (gain ${money(value.expectedGain, ctx.currency)}, risk ${money(value.expectedLoss, ctx.currency)}), ${percent(value.confidence)} likely right`;
}

function decidePause(c: Candidate, ctx: TenantContext): Outcome {
  if (c.spend < ctx.settings.min_spend_before_pause) {
    return stop(
      c,
      'min_spend',
      `spent ${money(c.spend, ctx.currency)} of the ${money(ctx.settings.min_spend_before_pause, ctx.currency)} required before a pause`,
    );
  }
  const value = pauseValue(ctx.model.posterior(c.channel, c.evidence), c.dailySpend * HORIZON_DAYS);
  const refused = belowMargin(c, ctx, value, 'Pausing');
  if (refused) return refused;
  const dismissal = dismissalRespite(c, ctx, value);
  if ('held' in dismissal) return stop(c, 'dismissed', dismissal.held);
  // Not sure enough to act alone: a person decides (the money is said in the suggestion).
  const sure = value.confidence >= ctx.settings.min_pause_confidence;
  const before = stateOf(c);
  return {
    kind: 'proposal',
    candidate: c,
    actionType: 'auto_pause',
    mode: sure ? (dismissal.mode ?? modeOf(c, ctx)) : 'suggest',
    previousState: before,
    newState: { ...before, status: 'paused' },
    confidence: value.confidence,
    reason: `${roiText(c.roi)} after ${money(c.spend, ctx.currency)} spent matched "${c.ruleName}": paused to stop losses.${sure ? '' : ` Only suggested: ${percent(value.confidence)} likely to be losing money, below the ${percent(ctx.settings.min_pause_confidence)} needed to pause alone.`}${dismissal.note}`,
    expectedImpact: valueText(value, ctx),
    value,
  };
}

function decideScale(c: Candidate, ctx: TenantContext, budget: { addedToday: number }): Outcome {
  const posterior = ctx.model.posterior(c.channel, c.evidence);
  const confidence = 1 - posterior.probabilityBelow(1);
  if (confidence < ctx.settings.min_scale_confidence) {
    return stop(
      c,
      'confidence',
      `confidence ${(confidence * 100).toFixed(0)}% is below the ${(ctx.settings.min_scale_confidence * 100).toFixed(0)}% required to scale`,
    );
  }
  if (within(c.lastBudgetChangeAt, ctx.settings.cooldown_hours, ctx.now)) {
    return stop(c, 'cooldown', `budget changed less than ${ctx.settings.cooldown_hours} h ago`);
  }
  const multiplier = Math.min(c.action.type === 'auto_scale_up' ? c.action.multiplier : 1, MAX_MULTIPLIER);
  const ruleCap = c.action.type === 'auto_scale_up' ? c.action.max_budget : undefined;
  const ceiling = Math.min(c.maxBudget ?? Number.POSITIVE_INFINITY, ruleCap ?? Number.POSITIVE_INFINITY);
  const target = Math.round(Math.min(c.budget * multiplier, ceiling) * 100) / 100;
  if (target <= c.budget) {
    return stop(
      c,
      'max_budget',
      `budget ${money(c.budget, ctx.currency)} is already at its maximum ${money(ceiling, ctx.currency)}`,
    );
  }
  const added = target - c.budget;
  // Spend follows the budget: it grows by the budget's ratio.
  const value = scaleValue(posterior, c.dailySpend * HORIZON_DAYS * (target / c.budget - 1));
  const refused = belowMargin(c, ctx, value, 'Scaling');
  if (refused) return refused;
  const dismissal = dismissalRespite(c, ctx, value);
  if ('held' in dismissal) return stop(c, 'dismissed', dismissal.held);
  const cap = ctx.settings.max_daily_budget_increase;
  const mode = dismissal.mode ?? modeOf(c, ctx);
  if (mode === 'execute' && cap !== null && budget.addedToday + added > cap) {
    return stop(
      c,
      'daily_budget_cap',
      `adding ${money(added, ctx.currency)} would pass today's cap of ${money(cap, ctx.currency)}`,
    );
  }
  if (mode === 'execute') budget.addedToday += added;
  const before = stateOf(c);
  return {
    kind: 'proposal',
    candidate: c,
    actionType: 'auto_scale_up',
    mode,
    previousState: before,
    newState: { ...before, budget: target },
    confidence,
    reason: `${roiText(c.roi)} with ${c.conversions} conversions matched "${c.ruleName}": budget ${money(c.budget, ctx.currency)} -> ${money(target, ctx.currency)}${target < c.budget * multiplier ? ' (capped at the maximum budget)' : ''}.${dismissal.note}`,
    expectedImpact: valueText(value, ctx),
    value,
  };
}

/** The probability that a notify or post rule's condition truly holds, and the condition in words. */
function conditionEvidence(c: Candidate, ctx: TenantContext): { confidence: number; text: string } {
  if (!c.condition || !c.windows)
    throw new Error(`candidate of ${c.ruleType} rule "${c.ruleName}" lacks its condition`);
  return {
    confidence: conditionProbability(c.condition, c.windows, (window, threshold) =>
      ctx.model
        .posterior(c.channel, { exposure: window.exposure, conversions: window.conversions, revenue: window.revenue })
        .probabilityBelow(threshold),
    ),
    text: conditionText(c.condition, c.windows, ctx.currency),
  };
}

function decidePost(c: Candidate, ctx: TenantContext): Outcome {
  // Not a refusal: the campaign was posted (or suggested) recently, so there is nothing to do.
  if (within(c.lastPostedAt, ctx.settings.post_cooldown_hours, ctx.now)) return null;
  const { confidence, text } = conditionEvidence(c, ctx);
  if (ctx.socialPlatforms.length === 0)
    return stop(c, 'no_social_account', 'the tenant has no connected social account');
  if (confidence < ctx.settings.min_post_confidence) {
    return stop(
      c,
      'confidence',
      `confidence ${(confidence * 100).toFixed(0)}% is below the ${(ctx.settings.min_post_confidence * 100).toFixed(0)}% required to post`,
    );
  }
  // A post has no money value: only its confidence can move.
  const dismissal = dismissalRespite(c, ctx, { confidence, net: null });
  if ('held' in dismissal) return stop(c, 'dismissed', dismissal.held);
  const before = stateOf(c);
  const platforms = [...ctx.socialPlatforms];
  return {
    kind: 'proposal',
    candidate: c,
    actionType: 'auto_post',
    mode: dismissal.mode ?? modeOf(c, ctx),
    previousState: before,
    newState: { ...before, platforms },
    confidence,
    reason: `${text} matched "${c.ruleName}": posted to ${platforms.join(', ')}.${dismissal.note}`,
    expectedImpact: `Organic reach on ${platforms.join(', ')} for a campaign that already performs`,
  };
}

function decideNotify(c: Candidate, ctx: TenantContext): Outcome {
  if (within(c.lastNotifiedAt, ctx.settings.notify_cooldown_hours, ctx.now)) return null;
  const { confidence, text } = conditionEvidence(c, ctx);
  const state = stateOf(c);
  return {
    kind: 'proposal',
    candidate: c,
    actionType: 'notify',
    mode: 'execute',
    previousState: state,
    newState: state,
    confidence,
    reason: `${text} matched "${c.ruleName}": raised an alert.`,
    expectedImpact: 'None by itself: a person reviews the alert',
  };
}
