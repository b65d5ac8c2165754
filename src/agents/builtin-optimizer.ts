// The built-in campaign optimizer: offline and deterministic, it changes only what its numbers or
// a safe mechanical rule justify (docs/cmo-optimizer.md).
//
// - Variants: an active variant whose probability of being its step's best (on the goal's metric
//   per send) falls below the kill threshold is killed (src/domain/variant-selection.ts).
// - Delays: the wait before a step follows when replies to the previous step arrived
//   (src/domain/reply-timing.ts).
// - Copy: three rules that need no language model: long email subjects cut at a word, the SMS
//   opt-out, the campaign's call to action in email bodies. It does not rewrite voice scripts or
//   otherwise reword copy; the gateway agents do.
//
// Applying a plan and optimizing again yields no changes (the loop relies on it): each rule stops
// once its change is made, and removing a variant only raises its rivals' P(best).
import { characterCount, SUBJECT_MAX_CHARACTERS } from '../domain/channel-limits.ts';
import { mergeReplyDelays, suggestDelay } from '../domain/reply-timing.ts';
import { variantsToKill } from '../domain/variant-selection.ts';
import {
  type AssetInput,
  type CampaignGoal,
  type CampaignOptimizer,
  COPY_ASSET_TYPES,
  COPY_MAX_LENGTH,
  type CopyChangeType,
  type Counters,
  type OptimizationChange,
  type OptimizationInput,
  type VariantInput,
} from './optimizer.ts';

/** What counts as a success per send, by campaign goal. */
export const GOAL_METRIC = {
  leads: { field: 'replies', rate: 'reply rate' },
  meetings: { field: 'meetings', rate: 'meeting rate' },
  revenue: { field: 'conversions', rate: 'conversion rate' },
} as const satisfies Record<CampaignGoal, { field: keyof Counters; rate: string }>;

/** optimizationPlanSchema's limit; the rest waits for the next run (kills and delays go first). */
const MAX_CHANGES = 200;

const SMS_OPT_OUT = 'Reply STOP to opt out.';
const DEFAULT_CTA_TEXT = 'Learn more';

export function createBuiltinOptimizer(): CampaignOptimizer {
  return {
    provider: 'builtin',
    model: null,
    optimize: async (input) => ({ changes: planChanges(input) }),
  };
}

function planChanges(input: OptimizationInput): OptimizationChange[] {
  const { settings } = input.constraints;
  const kills = input.assets.flatMap((asset) => killChanges(asset, input.campaign.goal, settings));
  const killed = new Set(kills.flatMap((change) => (change.type === 'kill_variant' ? [change.variant_id] : [])));
  const copy = input.assets.flatMap((asset) =>
    asset.variants
      .filter((variant) => variant.status === 'active' && !killed.has(variant.id))
      .flatMap((variant) => copyChanges(asset, variant, input.campaign)),
  );
  return [...kills, ...delayChanges(input), ...copy].slice(0, MAX_CHANGES);
}

function killChanges(
  asset: AssetInput,
  goal: CampaignGoal,
  settings: OptimizationInput['constraints']['settings'],
): OptimizationChange[] {
  const metric = GOAL_METRIC[goal];
  const active = asset.variants.filter((variant) => variant.status === 'active');
  const { kills, probabilities } = variantsToKill(
    active.map((variant) => ({ id: variant.id, successes: variant[metric.field], trials: variant.sends })),
    { threshold: settings.kill_threshold, minTrials: settings.min_variant_sends },
  );
  if (kills.length === 0) return [];
  const best = active.reduce((a, b) => (probabilities.get(b.id)! > probabilities.get(a.id)! ? b : a));
  const rate = (variant: VariantInput) => percent(variant[metric.field] / variant.sends, 2);
  return kills.map(({ id, probabilityBest }) => {
    const variant = active.find((v) => v.id === id)!;
    return {
      type: 'kill_variant',
      variant_id: id,
      rationale:
        `Variant ${variant.label} of "${asset.name}": the probability that it is the best of its step's ` +
        `${active.length} active variants is ${probability(probabilityBest)}, under the kill threshold of ` +
        `${percent(settings.kill_threshold, 0)}. Its ${metric.rate} is ${rate(variant)} on ${variant.sends} sends, ` +
        `against ${rate(best)} for variant ${best.label}.`,
      confidence: 1 - probabilityBest,
    };
  });
}

function delayChanges(input: OptimizationInput): OptimizationChange[] {
  const { assets } = input;
  const { settings } = input.constraints;
  const stepName = (index: number) =>
    `step ${index} (${assets
      .filter((a) => a.step_index === index)
      .map((a) => `"${a.name}"`)
      .join(', ')})`;
  return assets.flatMap((asset): OptimizationChange[] => {
    const earlier = assets.filter((a) => a.step_index < asset.step_index);
    if (earlier.length === 0) return [];
    const previousIndex = Math.max(...earlier.map((a) => a.step_index));
    // Killed variants too: they were sent, and their replies tell the same story.
    const previousStep = mergeReplyDelays(
      earlier.filter((a) => a.step_index === previousIndex).flatMap((a) => a.variants.map((v) => v.reply_delays)),
    );
    const suggestion = suggestDelay({
      previousStep,
      currentDelayHours: asset.delay_hours,
      settings,
      labels: { previousStep: stepName(previousIndex), step: `step ${asset.step_index} ("${asset.name}")` },
    });
    if (!suggestion) return [];
    return [
      {
        type: 'delay',
        asset_id: asset.id,
        delay_hours: suggestion.delayHours,
        rationale: `${suggestion.rationale}.`,
        confidence: suggestion.confidence,
      },
    ];
  });
}

/** The copy rules that apply to one variant, each only when it changes the copy. */
function copyChanges(
  asset: AssetInput,
  variant: VariantInput,
  campaign: OptimizationInput['campaign'],
): OptimizationChange[] {
  const changes: OptimizationChange[] = [];
  const where = `variant ${variant.label} of "${asset.name}"`;
  const propose = (type: CopyChangeType, current: string | null, value: string | null, rationale: string) => {
    if (COPY_ASSET_TYPES[type] !== asset.asset_type || value === null || value === current) return;
    if (value.length === 0 || value.length > COPY_MAX_LENGTH[type]) return;
    // Mechanical rules: right by construction, not by evidence, so they claim no probability.
    changes.push({ type, variant_id: variant.id, value, rationale, confidence: null });
  };

  const subject = shortenSubject(variant.subject);
  propose(
    'email_subject',
    variant.subject,
    subject,
    `The subject of ${where} has ${characterCount(variant.subject ?? '')} characters; mobile inboxes cut subjects ` +
      `at about ${SUBJECT_MAX_CHARACTERS}, so it ends at the last whole word within them.`,
  );

  const sms = variant.sms_copy;
  if (sms?.trim() && !/\bstop\b/i.test(sms)) {
    propose(
      'sms_copy',
      sms,
      `${sms.trimEnd()} ${SMS_OPT_OUT}`,
      `The SMS copy of ${where} tells no one how to opt out; carriers and the TCPA require it, so ` +
        `"${SMS_OPT_OUT}" is appended.`,
    );
  }

  const body = variant.body;
  const url = campaign.cta_url;
  if (body?.trim() && url && !body.includes(url)) {
    const cta = `${campaign.cta_text?.trim() || DEFAULT_CTA_TEXT}: ${url}`;
    propose(
      'email_body',
      body,
      `${body.trimEnd()}\n\n${cta}`,
      `The body of ${where} does not link the campaign's call to action; "${cta}" is appended.`,
    );
  }
  return changes;
}

/**
 * A subject over the limit, cut at the last whitespace at or before it, with trailing spaces and
 * separators (, ; : - – —) trimmed; null when it is short enough or no cut leaves any words.
 * Counted in code points, so an emoji is one character and never split.
 */
function shortenSubject(subject: string | null): string | null {
  if (subject === null) return null;
  const chars = Array.from(subject);
  if (chars.length <= SUBJECT_MAX_CHARACTERS) return null;
  for (let cut = SUBJECT_MAX_CHARACTERS; cut > 0; cut--) {
    if (!/\s/u.test(chars[cut]!)) continue;
    const shortened = chars
      .slice(0, cut)
      .join('')
      .replace(/[\s,;:\-–—]+$/u, '');
    if (shortened.length > 0) return shortened;
  }
  return null;
}

function percent(share: number, digits: number): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** A probability as a percentage, without claiming digits it does not have. */
function probability(p: number): string {
  return p < 0.001 ? '<0.1%' : percent(p, 1);
}
