// Guardrails turn a rule match into an action, a suggestion, or a documented refusal.
// Pure: the caller supplies the campaign's numbers and the tenant's state.
import { z } from 'zod';
import type { Candidate } from './candidate.ts';
import { actionConfidence } from './confidence.ts';
import { MAX_MULTIPLIER } from './rules.ts';

export const guardrailSettingsSchema = z
  .object({
    /** No pause before the campaign has spent this much, whatever a rule says. */
    min_spend_before_pause: z.number().min(0).default(50),
    /** No second budget change for a campaign within this many hours. */
    cooldown_hours: z.number().min(0).default(24),
    /** Total budget the engine may add per tenant per UTC day; null: no cap. */
    max_daily_budget_increase: z.number().min(0).nullable().default(10_000),
    /** Scaling needs at least this confidence (a probability). */
    min_scale_confidence: z.number().min(0).max(1).default(0.75),
  })
  .strict();
export type GuardrailSettings = z.output<typeof guardrailSettingsSchema>;

export type GuardrailName = 'min_spend' | 'cooldown' | 'max_budget' | 'daily_budget_cap' | 'confidence';

export interface CampaignState {
  status: string;
  budget: number;
}

export interface Proposal {
  kind: 'proposal';
  candidate: Candidate;
  actionType: 'auto_pause' | 'auto_scale_up';
  /** execute: autopilot on and the tenant's switch on; suggest: stored as pending for a human. */
  mode: 'execute' | 'suggest';
  previousState: CampaignState & { roi: number | null };
  newState: CampaignState & { roi: number | null };
  confidence: number;
  reason: string;
  expectedImpact: string;
}

export interface Stop {
  kind: 'stop';
  candidate: Candidate;
  guardrail: GuardrailName;
  detail: string;
  confidence: number;
}

export interface TenantContext {
  settings: GuardrailSettings;
  autonomousEnabled: boolean;
  priorOrderValue: number;
  now: Date;
  /** Budget already added today by executed actions. */
  budgetAddedToday: number;
  currency: string;
}

const HOUR_MS = 3_600_000;

// Building an Intl.NumberFormat costs far more than using one; a cycle formats thousands of amounts.
const formats = new Map<string, Intl.NumberFormat>();

function money(amount: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 });
    formats.set(currency, format);
  }
  return format.format(amount);
}

function roiText(roi: number | null): string {
  return roi === null ? 'no ROI yet' : `ROI ${roi.toFixed(2)}x`;
}

/** Decides every candidate in order (highest priority first); the daily cap accumulates. */
export function applyGuardrails(candidates: readonly Candidate[], ctx: TenantContext): (Proposal | Stop)[] {
  let addedToday = ctx.budgetAddedToday;
  const mode = (c: Candidate) => (c.autopilot && ctx.autonomousEnabled ? 'execute' : 'suggest');
  const evidence = (c: Candidate) => ({
    spend: c.spend,
    revenue: c.revenue,
    conversions: c.conversions,
    priorOrderValue: ctx.priorOrderValue,
  });
  const results: (Proposal | Stop)[] = [];
  for (const c of candidates) {
    const before = { status: 'active', budget: c.budget, roi: c.roi };
    if (c.ruleType === 'pause') {
      const confidence = actionConfidence('pause', evidence(c));
      if (c.spend < ctx.settings.min_spend_before_pause) {
        results.push({
          kind: 'stop',
          candidate: c,
          guardrail: 'min_spend',
          detail: `spent ${money(c.spend, ctx.currency)} of the ${money(ctx.settings.min_spend_before_pause, ctx.currency)} required before a pause`,
          confidence,
        });
        continue;
      }
      results.push({
        kind: 'proposal',
        candidate: c,
        actionType: 'auto_pause',
        mode: mode(c),
        previousState: before,
        newState: { ...before, status: 'paused' },
        confidence,
        reason: `${roiText(c.roi)} after ${money(c.spend, ctx.currency)} spent matched "${c.ruleName}": paused to stop losses.`,
        expectedImpact: `Saves about ${money(c.spendLast7Days / 7, ctx.currency)} of spend per day`,
      });
      continue;
    }
    // scale
    const confidence = actionConfidence('scale', evidence(c));
    const stop = (guardrail: GuardrailName, detail: string) =>
      results.push({ kind: 'stop', candidate: c, guardrail, detail, confidence });
    if (confidence < ctx.settings.min_scale_confidence) {
      stop(
        'confidence',
        `confidence ${(confidence * 100).toFixed(0)}% is below the ${(ctx.settings.min_scale_confidence * 100).toFixed(0)}% required to scale`,
      );
      continue;
    }
    if (
      c.lastBudgetChangeAt &&
      ctx.now.getTime() - new Date(c.lastBudgetChangeAt).getTime() < ctx.settings.cooldown_hours * HOUR_MS
    ) {
      stop('cooldown', `budget changed less than ${ctx.settings.cooldown_hours} h ago`);
      continue;
    }
    const multiplier = Math.min(c.action.type === 'auto_scale_up' ? c.action.multiplier : 1, MAX_MULTIPLIER);
    const ruleCap = c.action.type === 'auto_scale_up' ? c.action.max_budget : undefined;
    const ceiling = Math.min(c.maxBudget ?? Number.POSITIVE_INFINITY, ruleCap ?? Number.POSITIVE_INFINITY);
    const target = Math.round(Math.min(c.budget * multiplier, ceiling) * 100) / 100;
    if (target <= c.budget) {
      stop(
        'max_budget',
        `budget ${money(c.budget, ctx.currency)} is already at its maximum ${money(ceiling, ctx.currency)}`,
      );
      continue;
    }
    const added = target - c.budget;
    const cap = ctx.settings.max_daily_budget_increase;
    if (mode(c) === 'execute' && cap !== null && addedToday + added > cap) {
      stop(
        'daily_budget_cap',
        `adding ${money(added, ctx.currency)} would pass today's cap of ${money(cap, ctx.currency)}`,
      );
      continue;
    }
    if (mode(c) === 'execute') addedToday += added;
    results.push({
      kind: 'proposal',
      candidate: c,
      actionType: 'auto_scale_up',
      mode: mode(c),
      previousState: before,
      newState: { ...before, budget: target },
      confidence,
      reason: `${roiText(c.roi)} with ${c.conversions} conversions matched "${c.ruleName}": budget ${money(c.budget, ctx.currency)} -> ${money(target, ctx.currency)}${target < c.budget * multiplier ? ' (capped at the maximum budget)' : ''}.`,
      expectedImpact: `+${money(added, ctx.currency)} budget at ${roiText(c.roi)} ≈ +${money(added * (c.roi ?? 0), ctx.currency)} revenue`,
    });
  }
  return results;
}
