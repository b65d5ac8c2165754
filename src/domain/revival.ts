// Auto-revive (docs/revive.md): the engine's answer to its own pauses that attribution lag made
// wrong. A campaign the engine paused on conversions that had not all arrived is resumed once the
// conversions reported since make it likely profitable: P(ROI > 1) under the tenant's model (the
// same posterior the pause was judged by, now on more complete data) at least `revive_confidence`.
// Pure: the caller finds the campaigns (src/engine/revivals.ts) and supplies the model.

import type { GuardrailSettings } from '../contract/tenant-settings.ts';
import type { Candidate } from './candidate.ts';
import { money, percent } from './decision-text.ts';
import { modeOf, type Proposal } from './guardrails.ts';
import type { PortfolioModel } from './model/portfolio-model.ts';

/** A campaign still paused by the engine's pause, and nobody changed since. */
export interface EnginePaused {
  /** The campaign as a candidate of the rule that paused it (the ledger row names that rule). */
  candidate: Candidate;
  pauseId: string;
  pausedAt: Date;
}

export interface RevivalContext {
  settings: GuardrailSettings;
  autonomousEnabled: boolean;
  model: PortfolioModel;
  currency: string;
}

export function decideRevival(paused: EnginePaused, ctx: RevivalContext): Proposal | null {
  const c = paused.candidate;
  const confidence = 1 - ctx.model.posterior(c.channel, c.evidence).probabilityBelow(1);
  if (confidence < ctx.settings.revive_confidence) return null;
  const state = { budget: c.budget, roi: c.roi };
  return {
    kind: 'proposal',
    candidate: c,
    actionType: 'auto_resume',
    // As for the other actions: autopilot and the tenant's switch act, otherwise a person decides.
    mode: modeOf(c, ctx),
    previousState: { ...state, status: 'paused' },
    newState: { ...state, status: 'active' },
    confidence,
    reason: `Reverses the engine's pause ${paused.pauseId} of ${paused.pausedAt.toISOString().slice(0, 10)} ("${c.ruleName}"): with the conversions reported since, ${money(c.revenue, ctx.currency)} on ${money(c.spend, ctx.currency)} spent, ROI is above 1 with probability ${percent(confidence)} (${percent(ctx.settings.revive_confidence)} needed).`,
    expectedImpact: `Resumes about ${money(c.dailySpend, ctx.currency)} a day of spend the model expects to be profitable`,
    reverses: paused.pauseId,
  };
}
