// What a cycle answers (POST /api/cycles and its dry run, and the decisions inside a rule preview
// and the Overview's cards), and a cycle as recorded. The engine's results are these types.
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';

const campaignState = z.object({
  status: z.string(),
  budget: z.number(),
  roi: z.number().nullable(),
  platforms: z.array(z.string()).optional().describe('Posts only: where the campaign is posted'),
});

/** What a decision changes of a campaign, before and after. */
export type CampaignState = z.infer<typeof campaignState>;

const expectedValue = z.object({
  confidence: z.number().min(0).max(1).describe('Probability that the action is right'),
  expected_gain: z.number().describe('Expected money gained over the horizon where the action is right'),
  expected_loss: z.number().describe('Expected money lost where it is wrong (revenue forgone, spend wasted)'),
  net: z.number().describe('expected_gain - expected_loss'),
  spend_at_stake: z.number().describe('Spend saved (pause) or added (scale) over the horizon'),
  horizon_days: z.number().int(),
});

export const decisionReport = z.object({
  campaign_id: uuid,
  title: z.string(),
  rule: z.string().describe('The rule’s name'),
  action_type: z.enum(['auto_pause', 'auto_scale_up', 'auto_resume', 'auto_post', 'notify']),
  mode: z.enum(['execute', 'suggest']).describe('execute: the campaign’s autopilot acts; suggest: a person decides'),
  awaiting_platform: z
    .literal(true)
    .optional()
    .describe(
      'Executed on a linked campaign: sent to its ad platform, done once the platform confirms (GET /api/platform-changes)',
    ),
  previous_state: campaignState,
  new_state: campaignState,
  confidence: z.number().min(0).max(1),
  reason: z.string(),
  expected_value: expectedValue
    .nullable()
    .describe('Pauses and scales: what the engine expects the action to be worth (docs/confidence.md); null otherwise'),
});

export const guardrailStopReport = z.object({
  campaign_id: uuid,
  title: z.string(),
  rule: z.string(),
  guardrail: z.enum([
    'min_spend',
    'cooldown',
    'max_budget',
    'daily_budget_cap',
    'confidence',
    // The action's expected gain does not beat its expected loss by the required margin.
    'expected_value',
    'no_social_account',
    'rolled_back',
    // Someone paused or resumed the campaign on its ad platform, outside Nightshift, recently.
    'changed_outside',
    // A person paused or resumed the campaign by hand in Nightshift, recently.
    'changed_by_hand',
    // A person dismissed the same action on this campaign recently, and the evidence has not moved enough.
    'dismissed',
    // The campaign, its rule or the tenant's settings changed between the cycle's read and its write.
    'changed_during_cycle',
  ]),
  detail: z.string(),
});

export const cycleResult = z.object({
  success: z.literal(true),
  timestamp,
  tenant_id: uuid,
  cycle_id: uuid.nullable().describe('Null for a dry run (nothing recorded)'),
  dry_run: z.boolean(),
  as_of: timestamp.nullable().describe('A replay: the instant whose data was judged (docs/replay.md); null otherwise'),
  actions_taken: z.object({
    campaigns_paused: z.number().int(),
    campaigns_scaled: z.number().int(),
    campaigns_posted: z.number().int(),
    opportunities_detected: z.number().int(),
  }),
  campaigns_resumed: z.number().int().describe('Engine pauses reversed on conversions reported since (docs/revive.md)'),
  notifications_sent: z.number().int(),
  sent_to_ad_platforms: z
    .number()
    .int()
    .describe(
      'Pauses, resumes and scales of linked campaigns sent to their ad platform and not confirmed yet: not counted in actions_taken or campaigns_resumed until the platform confirms',
    ),
  opportunities_resolved: z.number().int(),
  suggestions_created: z.number().int(),
  guardrail_stops: z.array(guardrailStopReport),
  decisions: z.array(decisionReport),
});

export const recordedCycle = z.object({
  id: uuid,
  triggered_by: z.enum(['schedule', 'user', 'api', 'cli']),
  dry_run: z.boolean(),
  status: z.enum(['running', 'completed', 'failed']),
  summary: z
    .record(z.string(), z.unknown())
    .describe('The cycle’s result as recorded: the POST /api/cycles summary without its decisions'),
  error: z.string().nullable(),
  started_at: timestamp,
  finished_at: timestamp.nullable(),
});

/** Pauses and scales: the money the engine expects the action to gain and risk. */
export type ExpectedValueRecord = z.infer<typeof expectedValue>;
export type DecisionReport = z.infer<typeof decisionReport>;
export type GuardrailStopReport = z.infer<typeof guardrailStopReport>;
export type GuardrailName = GuardrailStopReport['guardrail'];
export type CycleResult = z.infer<typeof cycleResult>;
