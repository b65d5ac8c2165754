// The campaign optimizer port: what the CMO loop hands an optimizer for one campaign, and the
// changes it may answer with. The built-in provider (builtin-optimizer.ts) implements it offline;
// the LLM agents implement the same interface through the gateway. The loop validates every
// answer against `optimizationPlanSchema` and its own guards (targets of this campaign only,
// never the last active variant of a step, delays inside the configured range), so a provider
// cannot change more than these kinds allow, whatever it returns.
import { z } from 'zod';
import type { LoopSettings } from '../contract/tenant-settings.ts';
import type { AssetType } from '../domain/asset-types.ts';
import type { FunnelCounter, ReportedMetric } from '../domain/metrics.ts';

export type { AssetType };

export type CampaignGoal = 'leads' | 'meetings' | 'revenue';

export type Counters = Record<FunnelCounter, number>;

export interface VariantInput extends Counters {
  id: string;
  label: string;
  status: 'active' | 'killed';
  subject: string | null;
  body: string | null;
  sms_copy: string | null;
  voice_script: string | null;
  social_post: string | null;
  /**
   * Replies by how long after the send they arrived: keys are bucket upper bounds in hours from
   * REPLY_DELAY_BUCKETS (src/domain/reply-timing.ts), values are reply counts.
   */
  reply_delays: Record<string, number>;
  /** When the variant's copy or status last changed (counters do not count), ISO 8601. */
  updated_at: string;
}

export interface AssetInput {
  id: string;
  asset_type: AssetType;
  name: string;
  channel: string | null;
  /** Position in the sequence; the step's delay is the wait after the previous step. */
  step_index: number;
  delay_hours: number;
  variants: VariantInput[];
}

export interface CampaignMetrics extends Record<ReportedMetric, number> {
  /** Where the figures come from: the daily channel stats, the campaign's totals, or nowhere yet. */
  source: 'daily_stats' | 'campaign_metrics' | 'none';
}

export interface OptimizationInput {
  campaign: {
    id: string;
    title: string;
    goal: CampaignGoal;
    status: string;
    autopilot_enabled: boolean;
    budget: number;
    max_budget: number | null;
    currency: string;
    channels: string[];
    cta_text: string | null;
    cta_url: string | null;
  };
  metrics: CampaignMetrics;
  /** Active assets of the campaign, by step. */
  assets: AssetInput[];
  constraints: {
    brand_voice: string | null;
    tone: string[];
    settings: LoopSettings;
  };
}

// Targets are any 8-4-4-4-12 id (z.guid, not the stricter RFC z.uuid): imported rows may carry ids
// without the version bits, and checkPlan confirms each target belongs to the campaign anyway.
const rationale = z.string().trim().min(1).max(2000);
const confidence = z.number().min(0).max(1).nullable().default(null);

/** A rewrite of one variant's copy; the field follows from the type. */
export const COPY_FIELDS = {
  email_subject: 'subject',
  email_body: 'body',
  sms_copy: 'sms_copy',
  voice_script: 'voice_script',
} as const;
export type CopyChangeType = keyof typeof COPY_FIELDS;

/** Which asset types each rewrite applies to. */
export const COPY_ASSET_TYPES: Record<CopyChangeType, AssetType> = {
  email_subject: 'email',
  email_body: 'email',
  sms_copy: 'sms',
  voice_script: 'voice',
};

/** The longest value each rewrite may set (the API's own limits for the same fields). */
export const COPY_MAX_LENGTH: Record<CopyChangeType, number> = {
  email_subject: 1000,
  email_body: 100_000,
  sms_copy: 1600,
  voice_script: 50_000,
};

export const optimizationChangeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.enum(['email_subject', 'email_body', 'sms_copy', 'voice_script']),
    variant_id: z.guid(),
    value: z.string().min(1).max(100_000),
    rationale,
    confidence,
  }),
  z.strictObject({
    type: z.literal('delay'),
    asset_id: z.guid(),
    delay_hours: z.number().min(0).max(999_999.99),
    rationale,
    confidence,
  }),
  z.strictObject({
    type: z.literal('kill_variant'),
    variant_id: z.guid(),
    rationale,
    confidence,
  }),
]);
export type OptimizationChange = z.output<typeof optimizationChangeSchema>;

export const optimizationPlanSchema = z.strictObject({
  changes: z.array(optimizationChangeSchema).max(200),
});
export type OptimizationPlan = z.output<typeof optimizationPlanSchema>;

export interface CampaignOptimizer {
  /** Recorded with each run ('builtin', 'gateway', ...), so no one mistakes one for another. */
  readonly provider: string;
  readonly model: string | null;
  /** How many campaigns may wait on it at once (a gateway's); one at a time when unset. */
  readonly concurrency?: number;
  /** May answer anything; the loop parses it with optimizationPlanSchema before using it. */
  optimize(input: OptimizationInput): Promise<unknown>;
}
