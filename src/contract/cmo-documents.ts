// What the CMO agents stored, as documents to read (GET /api/cmo-plans, /api/cmo-funnels,
// /api/cmo-recommendations): a plan's phases, channel mix and milestones; a funnel's stages; the
// recommendations of an optimization run. The document fields are the agents' own answers
// (src/agents/agent-outputs.ts); response schemas document, they do not validate.
import { z } from 'zod';
import { isoDate, timestamp, uuid } from './fields.ts';

export const cmoPlanHead = z.object({
  id: uuid,
  workspace_id: uuid,
  name: z.string(),
  primary_goal: z.string(),
  budget: z.number().nullable(),
  currency: z.string(),
  start_date: isoDate.nullable(),
  end_date: isoDate.nullable(),
  status: z.string(),
  agent_run_id: uuid.nullable(),
  created_at: timestamp,
});

const kpi = z.object({ metric: z.string(), target: z.number() });

export const cmoPlanRecord = cmoPlanHead.extend({
  summary: z.string().nullable(),
  phases: z.array(
    z.object({
      name: z.string(),
      start_date: isoDate,
      end_date: isoDate,
      focus: z.string(),
      budget: z.number(),
      channels: z.array(z.string()),
      objectives: z.array(z.string()),
      kpis: z.array(kpi),
    }),
  ),
  channel_mix: z.array(z.object({ channel: z.string(), share: z.number(), budget: z.number() })),
  milestones: z.array(z.object({ date: isoDate, description: z.string() })),
  target_metrics: z.record(z.string(), z.number()),
  risks: z.array(z.string()),
});

export const cmoFunnelHead = z.object({
  id: uuid,
  workspace_id: uuid,
  plan_id: uuid.nullable(),
  plan_name: z.string().nullable(),
  name: z.string(),
  funnel_type: z.string().nullable(),
  status: z.string(),
  agent_run_id: uuid.nullable(),
  created_at: timestamp,
});

export const cmoFunnelRecord = cmoFunnelHead.extend({
  stages: z.array(
    z.object({
      name: z.string(),
      stage: z.string(),
      goal: z.string(),
      channels: z.array(z.string()),
      content_types: z.array(z.string()),
      segment: z.string().nullish(),
      offer: z.string().nullish(),
      kpi: z.string(),
      target_conversion_rate: z.number().describe('0–1'),
    }),
  ),
});

export const cmoRecommendationRecord = z.object({
  id: uuid,
  workspace_id: uuid,
  agent_run_id: uuid,
  plan_id: uuid.nullable(),
  funnel_id: uuid.nullable(),
  campaign_id: uuid.nullable(),
  campaign_title: z.string().nullable(),
  title: z.string(),
  category: z.string(),
  priority: z.enum(['high', 'medium', 'low']),
  rationale: z.string(),
  expected_impact: z.string(),
  action: z.string(),
  status: z.string(),
  created_at: timestamp,
});

export type CmoPlanHead = z.infer<typeof cmoPlanHead>;
export type CmoPlanRecord = z.infer<typeof cmoPlanRecord>;
export type CmoFunnelHead = z.infer<typeof cmoFunnelHead>;
export type CmoFunnelRecord = z.infer<typeof cmoFunnelRecord>;
export type CmoRecommendationRecord = z.infer<typeof cmoRecommendationRecord>;
