// The respite guardrails (docs/respite.md), with what they say: a person's rollback holds back
// every rule acting in the same direction on that campaign, a pause or resume made on the
// campaign's ad platform outside Nightshift holds back the rules that change it, and a person's
// dismissal holds back the same suggestion unless the evidence moved materially
// (src/domain/respite.ts). The guardrails (guardrails.ts) turn a holding respite into a stop.
import type { Candidate } from './candidate.ts';
import { money, percent } from './decision-text.ts';
import type { TenantContext } from './guardrails.ts';
import {
  type CurrentEvidence,
  dismissalVerdict,
  MATERIAL_CONFIDENCE_RISE,
  MATERIAL_NET_FACTOR,
  withinRespite,
} from './respite.ts';

const ACTION_WORDS: Record<Candidate['action']['type'], string> = {
  auto_pause: 'a pause',
  auto_scale_up: 'a budget increase',
  auto_post: 'a post',
  notify: 'a notification',
};

const day = (at: Date) => at.toISOString().slice(0, 10);

/**
 * A person overruled an action of this direction on this campaign: acting again at once, by the
 * rule that acted or by another one doing the same, would undo their decision. Returns why the
 * candidate is held back, or null.
 */
export function rollbackRespite(c: Candidate, ctx: TenantContext): string | null {
  const hours = ctx.settings.rollback_cooldown_hours;
  if (!withinRespite(c.lastRolledBackAt, hours, ctx.now)) return null;
  return `a person rolled back ${ACTION_WORDS[c.action.type]} of this campaign less than ${hours} h ago: no rule does it again before then`;
}

/**
 * Someone paused or resumed the campaign on its ad platform, outside Nightshift: a person decided
 * its delivery there, in no direction of Nightshift's, so every rule that would change the campaign
 * (pause, scale) waits as long as after a rollback. Alerts and posts change nothing of it and go on.
 * Returns why the candidate is held back, or null.
 */
export function changedOutsideRespite(c: Candidate, ctx: TenantContext): string | null {
  if (c.ruleType !== 'pause' && c.ruleType !== 'scale') return null;
  const hours = ctx.settings.rollback_cooldown_hours;
  if (!withinRespite(c.lastChangedOutsideAt, hours, ctx.now)) return null;
  return `someone paused or resumed this campaign on its ad platform, outside Nightshift, less than ${hours} h ago: no rule pauses or scales it before then`;
}

/**
 * A person paused or resumed the campaign by hand in Nightshift: as after a change on its ad
 * platform, no rule pauses or scales it before the rollback cooldown is over, so the next cycle
 * does not undo what the person just decided. Returns why the candidate is held back, or null.
 */
export function changedByHandRespite(c: Candidate, ctx: TenantContext): string | null {
  if (c.ruleType !== 'pause' && c.ruleType !== 'scale') return null;
  const hours = ctx.settings.rollback_cooldown_hours;
  if (!withinRespite(c.lastChangedByHandAt, hours, ctx.now)) return null;
  return `a person paused or resumed this campaign by hand less than ${hours} h ago: no rule pauses or scales it before then`;
}

/**
 * A person's dismissal of the same action on this campaign: within the respite it holds the
 * action back (`held`: why), unless the evidence moved materially; then the action is asked again,
 * as a suggestion only (the person said no once: they decide again), `note` saying why in its reason.
 */
export type DismissalRespite = { held: string } | { mode?: 'suggest'; note: string };

export function dismissalRespite(c: Candidate, ctx: TenantContext, current: CurrentEvidence): DismissalRespite {
  const days = ctx.settings.dismissal_respite_days;
  const verdict = dismissalVerdict(c.lastDismissal, current, days, ctx.now);
  if (verdict.kind === 'clear') return { note: '' };
  const dismissed = c.lastDismissal!;
  const was = `${dismissed.confidence === null ? 'no figure' : percent(dismissed.confidence)} likely right${dismissed.net === null ? '' : `, net ${money(dismissed.net, ctx.currency)}`}`;
  const is = `${percent(current.confidence)}${current.net === null ? '' : `, net ${money(current.net, ctx.currency)}`}`;
  if (verdict.kind === 'held') {
    return {
      held: `a person dismissed ${ACTION_WORDS[c.action.type]} of this campaign on ${day(dismissed.at)} (${was}; now ${is}): not suggested again before ${day(verdict.until)} unless it becomes ${MATERIAL_CONFIDENCE_RISE * 100} points likelier to be right or its expected net reaches ${MATERIAL_NET_FACTOR}x`,
    };
  }
  return {
    mode: 'suggest',
    note: ` Suggested again within ${days} days of a person's dismissal on ${day(dismissed.at)}: the evidence moved (then ${was}; now ${is}).`,
  };
}
