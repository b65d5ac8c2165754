// The six CMO agents, their modes and the requests they take: the seed's table (seed 004), field
// for field, validated here before anything is read. Unknown fields are refused like everywhere
// else in the API (422 naming the field).
import { z } from 'zod';
import { ASSET_TYPES } from '../domain/asset-types.ts';

/** The kernel's routing table (the seed's MODE_TO_FUNCTION). */
export const AGENT_FUNCTIONS = {
  setup: 'cmo-brand-intake',
  strategy: 'cmo-plan-90day',
  funnels: 'cmo-funnel-architect',
  campaigns: 'cmo-campaign-designer',
  content: 'cmo-content-engine',
  optimization: 'cmo-optimization-analyst',
} as const;
export type AgentMode = keyof typeof AGENT_FUNCTIONS;
export type AgentFunction = (typeof AGENT_FUNCTIONS)[AgentMode];
export const AGENT_MODES = Object.keys(AGENT_FUNCTIONS) as AgentMode[];

/** The steps of the brand intake conversation, in order. */
export const INTAKE_STEPS = ['brand', 'audience', 'offers', 'voice', 'complete'] as const;
export type IntakeStep = (typeof INTAKE_STEPS)[number];

export const FUNNEL_TYPES = ['lead_magnet', 'webinar', 'demo_request', 'free_trial', 'ecommerce', 'outbound'] as const;
export const FUNNEL_STAGES = ['awareness', 'consideration', 'conversion', 'retention'] as const;
export const CAMPAIGN_GOALS = ['leads', 'meetings', 'revenue'] as const;
export const ANALYSIS_PERIODS = { '7d': 7, '14d': 14, '30d': 30, '90d': 90 } as const;

const workspaceId = z.uuid();
const text = (max: number) => z.string().trim().min(1).max(max);
const channel = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'expects a lowercase channel name like email or linkedin');
const channels = z.array(channel).min(1).max(10);
const money = z.number().min(0).max(999_999_999_999.99);

export const brandIntakeInput = z.strictObject({
  /** Not in the seed's table (its workspace came from the session); optional when the tenant has one. */
  workspaceId: workspaceId.optional(),
  messages: z
    .array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string().max(20_000) }))
    .min(1)
    .max(100),
  /** The step being answered: a name, or its position (0-4) as the seed's client counts steps. */
  currentStep: z
    .union([
      z.enum(INTAKE_STEPS),
      z
        .number()
        .int()
        .min(0)
        .max(INTAKE_STEPS.length - 1),
    ])
    .transform((step): IntakeStep => (typeof step === 'number' ? INTAKE_STEPS[step]! : step))
    .default('brand'),
  /** What the client already gathered; stored answers fill in what it leaves out. */
  existingData: z.record(z.string(), z.unknown()).default({}),
});

export const plan90DayInput = z.strictObject({
  workspaceId,
  primaryGoal: text(500),
  budget: money.gt(0),
  targetMetrics: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.number().min(0)).default({}),
  constraints: z
    .strictObject({
      channels: z.array(channel).max(10).optional(),
      excludedChannels: z.array(channel).max(10).optional(),
      notes: z.string().max(2000).optional(),
    })
    .default({}),
  startDate: z.iso.date().optional(),
});

export const funnelArchitectInput = z.strictObject({
  workspaceId,
  planId: z.uuid().optional(),
  funnelType: z.enum(FUNNEL_TYPES).optional(),
});

export const campaignDesignerInput = z.strictObject({
  workspaceId,
  funnelId: z.uuid().optional(),
  planId: z.uuid().optional(),
  campaignGoal: z.enum(CAMPAIGN_GOALS),
  channels,
  preferences: z
    .strictObject({
      budget: money.optional(),
      steps: z.number().int().min(1).max(10).optional(),
      tone: z.string().max(200).optional(),
      audience: z.string().max(200).optional(),
      notes: z.string().max(2000).optional(),
    })
    .default({}),
});

export const contentEngineInput = z.strictObject({
  workspaceId,
  campaignId: z.uuid(),
  funnelStage: z.enum(FUNNEL_STAGES),
  channels,
  ctaIntent: text(300),
  contentTypes: z.array(z.enum(ASSET_TYPES)).min(1).max(6),
});

export const optimizationAnalystInput = z.strictObject({
  workspaceId,
  planId: z.uuid().optional(),
  funnelId: z.uuid().optional(),
  period: z.enum(Object.keys(ANALYSIS_PERIODS) as [keyof typeof ANALYSIS_PERIODS]).default('30d'),
});

export const AGENT_INPUTS = {
  setup: brandIntakeInput,
  strategy: plan90DayInput,
  funnels: funnelArchitectInput,
  campaigns: campaignDesignerInput,
  content: contentEngineInput,
  optimization: optimizationAnalystInput,
} as const satisfies Record<AgentMode, z.ZodType>;

export type AgentInput<M extends AgentMode> = z.output<(typeof AGENT_INPUTS)[M]>;
export type BrandIntakeInput = AgentInput<'setup'>;
export type Plan90DayInput = AgentInput<'strategy'>;
export type FunnelArchitectInput = AgentInput<'funnels'>;
export type CampaignDesignerInput = AgentInput<'campaigns'>;
export type ContentEngineInput = AgentInput<'content'>;
export type OptimizationAnalystInput = AgentInput<'optimization'>;
