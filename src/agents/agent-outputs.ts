// What each CMO agent must answer: one zod schema per agent. A gateway's answer is parsed with
// these before anything is stored (one repair attempt when it does not fit); the offline provider
// builds values of the same types. The schemas are also shown to the model, as JSON Schema, in the
// prompt (prompts.ts), so the model and the validator read the same contract.
//
// Checks that need the workspace's own data (a campaign id that must exist, a budget to keep to)
// are in agent-output-checks.ts.
import { z } from 'zod';
import { ASSET_TYPES, REQUIRED_COPY } from '../domain/asset-types.ts';
import { SMS_MAX_CHARACTERS, SOCIAL_POST_MAX_CHARACTERS, SUBJECT_MAX_CHARACTERS } from '../domain/channel-limits.ts';
import { type AgentMode, CAMPAIGN_GOALS, FUNNEL_STAGES, INTAKE_STEPS } from './agent-inputs.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullish();
const list = (max: number, itemMax = 300) => z.array(text(itemMax)).max(max).default([]);
const channel = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'expects a lowercase channel name like email');
const money = z.number().min(0).max(999_999_999_999.99);
const isoDate = z.iso.date();
const countedMax = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .refine((value) => Array.from(value).length <= max, { message: `${what} must be at most ${max} characters` });

/** The copy of one variant; which fields are required follows from the asset type. */
export const variantCopySchema = z.strictObject({
  subject: countedMax(SUBJECT_MAX_CHARACTERS, 'an email subject').nullish(),
  body: optionalText(20_000),
  sms_copy: countedMax(SMS_MAX_CHARACTERS, 'an SMS').nullish(),
  voice_script: optionalText(10_000),
  social_post: countedMax(SOCIAL_POST_MAX_CHARACTERS, 'a social post').nullish(),
});
export type VariantCopy = z.output<typeof variantCopySchema>;

/** Adds an issue for each field an asset of this type needs and the copy leaves empty. */
function requireCopy(
  assetType: (typeof ASSET_TYPES)[number],
  copy: VariantCopy,
  ctx: z.RefinementCtx,
  path: (string | number)[],
) {
  for (const field of REQUIRED_COPY[assetType]) {
    if (!copy[field])
      ctx.addIssue({ code: 'custom', path: [...path, field], message: `a ${assetType} needs ${field}` });
  }
}

const segmentSchema = z.strictObject({
  name: text(200),
  description: optionalText(2000),
  pains: list(10),
  goals: list(10),
  objections: list(10),
  channels: z.array(channel).max(10).default([]),
});
const offerSchema = z.strictObject({
  name: text(200),
  description: optionalText(2000),
  offer_type: optionalText(100),
  price: money.nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullish(),
  cta: optionalText(200),
});

export const brandIntakeOutput = z.strictObject({
  /** What the agent says to the user next: a question for the next step, or the wrap-up. */
  reply: text(4000),
  next_step: z.enum(INTAKE_STEPS),
  complete: z.boolean(),
  brand_profile: z.strictObject({
    brand_name: optionalText(200),
    industry: optionalText(200),
    website: optionalText(2000),
    mission: optionalText(2000),
    brand_voice: optionalText(2000),
    tone: list(10, 50),
  }),
  icp_segments: z.array(segmentSchema).max(10).default([]),
  offers: z.array(offerSchema).max(10).default([]),
});

const kpiSchema = z.strictObject({ metric: text(100), target: z.number().min(0) });

export const plan90DayOutput = z.strictObject({
  name: text(300),
  summary: text(4000),
  primary_goal: text(500),
  budget: money,
  currency: z.string().regex(/^[A-Z]{3}$/),
  start_date: isoDate,
  end_date: isoDate,
  phases: z
    .array(
      z.strictObject({
        name: text(200),
        start_date: isoDate,
        end_date: isoDate,
        focus: text(2000),
        budget: money,
        channels: z.array(channel).min(1).max(10),
        objectives: z.array(text(500)).min(1).max(10),
        kpis: z.array(kpiSchema).max(10).default([]),
      }),
    )
    .min(1)
    .max(6),
  channel_mix: z
    .array(z.strictObject({ channel, share: z.number().min(0).max(1), budget: money }))
    .min(1)
    .max(10),
  milestones: z
    .array(z.strictObject({ date: isoDate, description: text(500) }))
    .max(20)
    .default([]),
  target_metrics: z.record(z.string(), z.number().min(0)).default({}),
  risks: list(10, 500),
});

export const funnelOutput = z.strictObject({
  name: text(300),
  funnel_type: text(100),
  summary: text(4000),
  stages: z
    .array(
      z.strictObject({
        name: text(200),
        stage: z.enum(FUNNEL_STAGES),
        goal: text(1000),
        channels: z.array(channel).min(1).max(10),
        content_types: z.array(z.enum(ASSET_TYPES)).min(1).max(6),
        segment: optionalText(200),
        offer: optionalText(200),
        kpi: text(200),
        target_conversion_rate: z.number().min(0).max(1),
      }),
    )
    .min(2)
    .max(8),
});

const sequenceStepSchema = variantCopySchema.extend({
  asset_type: z.enum(ASSET_TYPES),
  channel,
  name: text(300),
  delay_hours: z.number().min(0).max(8760),
});

export const campaignDesignOutput = z.strictObject({
  campaigns: z
    .array(
      z
        .strictObject({
          title: text(300),
          description: text(4000),
          goal: z.enum(CAMPAIGN_GOALS),
          channels: z.array(channel).min(1).max(10),
          budget: money,
          cta_text: text(200),
          cta_url: z
            .url({ protocol: /^https?$/ })
            .max(2000)
            .nullish(),
          segment: optionalText(200),
          offer: optionalText(200),
          sequence: z.array(sequenceStepSchema).min(1).max(10),
        })
        .superRefine((campaign, ctx) =>
          campaign.sequence.forEach((step, index) => {
            requireCopy(step.asset_type, step, ctx, ['sequence', index]);
          }),
        ),
    )
    .min(1)
    .max(5),
});

export const contentOutput = z.strictObject({
  assets: z
    .array(
      z
        .strictObject({
          asset_type: z.enum(ASSET_TYPES),
          channel,
          name: text(300),
          delay_hours: z.number().min(0).max(8760).default(0),
          variants: z
            .array(variantCopySchema.extend({ label: z.string().regex(/^[A-Z]$/, 'expects one capital letter') }))
            .min(1)
            .max(4),
        })
        .superRefine((asset, ctx) =>
          asset.variants.forEach((variant, index) => {
            requireCopy(asset.asset_type, variant, ctx, ['variants', index]);
          }),
        ),
    )
    .min(1)
    .max(12),
});

export const RECOMMENDATION_CATEGORIES = ['budget', 'content', 'targeting', 'timing', 'channel', 'funnel'] as const;

export const optimizationOutput = z.strictObject({
  period: z.strictObject({ start: isoDate, end: isoDate }),
  summary: text(4000),
  recommendations: z
    .array(
      z.strictObject({
        title: text(300),
        category: z.enum(RECOMMENDATION_CATEGORIES),
        priority: z.enum(['high', 'medium', 'low']),
        campaign_id: z.guid().nullish(),
        rationale: text(2000),
        expected_impact: text(1000),
        action: text(1000),
      }),
    )
    .max(20),
});

export const AGENT_OUTPUTS = {
  setup: brandIntakeOutput,
  strategy: plan90DayOutput,
  funnels: funnelOutput,
  campaigns: campaignDesignOutput,
  content: contentOutput,
  optimization: optimizationOutput,
} as const satisfies Record<AgentMode, z.ZodType>;

export type AgentOutput<M extends AgentMode> = z.output<(typeof AGENT_OUTPUTS)[M]>;
export type BrandIntakeOutput = AgentOutput<'setup'>;
export type Plan90DayOutput = AgentOutput<'strategy'>;
export type FunnelOutput = AgentOutput<'funnels'>;
export type CampaignDesignOutput = AgentOutput<'campaigns'>;
export type ContentOutput = AgentOutput<'content'>;
export type OptimizationOutput = AgentOutput<'optimization'>;
