// The CMO loop's optimizer when a gateway is configured: the built-in optimizer's statistics
// (variant kills, delays, copy hygiene) plus the content engine rewriting underperforming copy
// (email subjects and bodies, SMS copy, voice scripts) in the brand voice, within the channels'
// limits. The loop checks and writes the changes as it does any optimizer's: applied with
// autopilot on, suggestions otherwise.
//
// Which copy is rewritten: an active email, SMS or voice variant with enough sends to judge
// (min_variant_sends) whose rate on the goal's metric is under half its step's best, or, when it
// is its step's only variant, under the underperforming reply rate. A variant is left alone while
// the built-in plan kills it or changes the same field, and for REWRITE_COOLDOWN_DAYS after its
// copy last changed, so the new copy gets sends before it is judged (and a second run the same
// day rewrites nothing).
import { z } from 'zod';
import { characterCount, SMS_MAX_CHARACTERS, SUBJECT_MAX_CHARACTERS } from '../domain/channel-limits.ts';
import { DAY_MS } from '../domain/day.ts';
import { answerAsJson } from './ask-json.ts';
import { createBuiltinOptimizer, GOAL_METRIC } from './builtin-optimizer.ts';
import { gatewayModelFromConfig, type TextStreamModel } from './gateway-model.ts';
import {
  type CampaignOptimizer,
  COPY_ASSET_TYPES,
  COPY_FIELDS,
  type CopyChangeType,
  type OptimizationChange,
  type OptimizationInput,
  optimizationPlanSchema,
  type VariantInput,
} from './optimizer.ts';
import type { ChatMessage } from './prompts.ts';

export const REWRITE_COOLDOWN_DAYS = 14;
const MAX_REWRITES_PER_CAMPAIGN = 10;
/** optimizationPlanSchema's limit on one plan. */
const MAX_PLAN_CHANGES = 200;

const LIMITS: Partial<Record<CopyChangeType, number>> = {
  email_subject: SUBJECT_MAX_CHARACTERS,
  sms_copy: SMS_MAX_CHARACTERS,
};

const rewritesSchema = z.strictObject({
  rewrites: z
    .array(
      z.strictObject({
        variant_id: z.guid(),
        type: z.enum(['email_subject', 'email_body', 'sms_copy', 'voice_script']),
        value: z.string().trim().min(1).max(20_000),
        rationale: z.string().trim().min(1).max(2000),
      }),
    )
    .max(MAX_REWRITES_PER_CAMPAIGN * 2),
});
type Rewrites = z.output<typeof rewritesSchema>;

interface Candidate {
  variant: VariantInput;
  assetType: 'email' | 'sms' | 'voice';
  stepName: string;
  rate: number;
  bestRate: number;
}

/** The variants whose copy is worth a rewrite (see the header). */
export function rewriteCandidates(input: OptimizationInput, plan: OptimizationChange[], now: Date): Candidate[] {
  const { settings } = input.constraints;
  const metric = GOAL_METRIC[input.campaign.goal].field;
  const untouchable = new Set(plan.flatMap((c) => ('variant_id' in c ? [c.variant_id] : [])));
  const candidates: Candidate[] = [];
  for (const asset of input.assets) {
    if (asset.asset_type !== 'email' && asset.asset_type !== 'sms' && asset.asset_type !== 'voice') continue;
    const active = asset.variants.filter((v) => v.status === 'active');
    const rate = (v: VariantInput) => (v.sends > 0 ? v[metric] / v.sends : 0);
    const bestRate = Math.max(...active.map(rate));
    for (const variant of active) {
      if (variant.sends < settings.min_variant_sends || untouchable.has(variant.id)) continue;
      if (now.getTime() - Date.parse(variant.updated_at) < REWRITE_COOLDOWN_DAYS * DAY_MS) continue;
      const weak =
        active.length > 1
          ? rate(variant) < bestRate / 2
          : variant.replies / variant.sends < settings.underperforming_reply_rate;
      if (weak)
        candidates.push({ variant, assetType: asset.asset_type, stepName: asset.name, rate: rate(variant), bestRate });
    }
  }
  return candidates.sort((a, b) => b.variant.sends - a.variant.sends).slice(0, MAX_REWRITES_PER_CAMPAIGN);
}

function rewriteMessages(input: OptimizationInput, candidates: Candidate[]): ChatMessage[] {
  const schema = JSON.stringify(z.toJSONSchema(rewritesSchema, { io: 'input' }));
  const system = [
    'You are the content engine of a CMO team. Rewrite the underperforming copy you are given so that more',
    `recipients ${GOAL_METRIC[input.campaign.goal].rate === 'reply rate' ? 'reply' : 'act'}: keep the offer,`,
    'the facts and the call to action; change the angle, the opening and the wording.',
    `Write in the brand voice${input.constraints.brand_voice ? ` ("${input.constraints.brand_voice}")` : ''}` +
      `${input.constraints.tone.length ? `, tone: ${input.constraints.tone.join(', ')}` : ''}.`,
    `Email subjects stay within ${SUBJECT_MAX_CHARACTERS} characters, SMS within ${SMS_MAX_CHARACTERS} and keep any opt-out line.`,
    'Rewrite only the fields of the variants listed: email_subject and email_body for email, sms_copy for SMS,',
    'voice_script for voice. Answer with one JSON object and nothing else, valid against this JSON Schema:',
    schema,
  ].join('\n');
  const request = {
    campaign: {
      title: input.campaign.title,
      goal: input.campaign.goal,
      cta_text: input.campaign.cta_text,
      cta_url: input.campaign.cta_url,
    },
    variants: candidates.map((c) => ({
      variant_id: c.variant.id,
      asset_type: c.assetType,
      step: c.stepName,
      sends: c.variant.sends,
      rate: Number(c.rate.toFixed(4)),
      best_rate_in_step: Number(c.bestRate.toFixed(4)),
      subject: c.variant.subject,
      body: c.variant.body,
      sms_copy: c.variant.sms_copy,
      voice_script: c.variant.voice_script,
    })),
  };
  return [
    { role: 'system', content: system },
    { role: 'user', content: JSON.stringify(request) },
  ];
}

/** A rewrite must target a listed variant, with a field its asset type has, within the limits. */
function checkRewrites(candidates: Candidate[]) {
  const typeOf = new Map(candidates.map((c) => [c.variant.id, c.assetType]));
  return (answer: Rewrites): string[] =>
    answer.rewrites.flatMap((r, i) => {
      const assetType = typeOf.get(r.variant_id);
      if (!assetType) return [`rewrites.${i}.variant_id: ${r.variant_id} is not one of the variants listed`];
      if (COPY_ASSET_TYPES[r.type] !== assetType)
        return [`rewrites.${i}.type: a ${assetType} variant has no ${r.type}`];
      const limit = LIMITS[r.type];
      if (limit !== undefined && characterCount(r.value) > limit)
        return [`rewrites.${i}.value: ${characterCount(r.value)} characters; ${r.type} allows ${limit}`];
      return [];
    });
}

export function createContentOptimizer(
  base: CampaignOptimizer,
  model: TextStreamModel,
  options: { now?: () => Date } = {},
): CampaignOptimizer {
  return {
    provider: 'gateway',
    model: model.model,
    // Several campaigns wait on the gateway at once (optimize-campaigns.ts honours it).
    concurrency: 4,
    async optimize(input) {
      const plan = optimizationPlanSchema.parse(await base.optimize(input));
      const candidates = rewriteCandidates(input, plan.changes, options.now?.() ?? new Date());
      if (candidates.length === 0) return plan;
      const answer = await answerAsJson(
        model,
        rewriteMessages(input, candidates),
        rewritesSchema,
        checkRewrites(candidates),
        // Nothing cancels a loop's call from outside; the gateway's own timeouts bound it.
        new AbortController().signal,
      );
      const room = Math.max(0, MAX_PLAN_CHANGES - plan.changes.length);
      const rewrites = answer.rewrites
        .filter((r) => r.value !== candidates.find((c) => c.variant.id === r.variant_id)!.variant[COPY_FIELDS[r.type]])
        .slice(0, room);
      return {
        changes: [
          ...plan.changes,
          ...rewrites.map((r) => ({
            type: r.type,
            variant_id: r.variant_id,
            value: r.value,
            rationale: r.rationale,
            confidence: null,
          })),
        ],
      };
    },
  };
}

/** The loop's optimizer for this configuration: with a gateway, rewrites on top of the built-in one. */
export function optimizerFromConfig(ai: Parameters<typeof gatewayModelFromConfig>[0]): CampaignOptimizer {
  const model = gatewayModelFromConfig(ai);
  return model ? createContentOptimizer(createBuiltinOptimizer(), model) : createBuiltinOptimizer();
}
