// The six CMO agents as data: what each reads, what it is told, what it must answer, what is
// checked beyond the schema, how the offline provider answers, and where the answer is stored.
// run-agent.ts runs any of them the same way.
import type { z } from 'zod';
import type { SqlSession } from '../db/port.ts';
import {
  AGENT_FUNCTIONS,
  type AgentFunction,
  type AgentInput,
  type AgentMode,
  ANALYSIS_PERIODS,
} from './agent-inputs.ts';
import { AGENT_OUTPUTS, type AgentOutput } from './agent-outputs.ts';
import { offlineBrandIntake } from './offline/brand-intake.ts';
import { offlineCampaignDesign } from './offline/campaign-designer.ts';
import { offlineContent } from './offline/content-engine.ts';
import { offlineFunnel } from './offline/funnel-architect.ts';
import { offlineOptimization } from './offline/optimization-analyst.ts';
import { offlinePlan90Day } from './offline/plan-90day.ts';
import { persistCampaignDesign, persistContent, persistRecommendations } from './persist-content.ts';
import {
  type PersistedRecord,
  type PersistScope,
  persistBrandIntake,
  persistFunnel,
  persistPlan,
} from './persist-strategy.ts';
import type { ContextNeeds, WorkspaceContext } from './workspace-context.ts';

export interface AgentDefinition<M extends AgentMode> {
  mode: M;
  name: AgentFunction;
  output: z.ZodType<AgentOutput<M>>;
  needs(input: AgentInput<M>): ContextNeeds;
  /** The agent's role and task, for the system message. */
  instructions: string;
  /** Problems with an answer that fits the schema but not this request or workspace. */
  check(output: AgentOutput<M>, input: AgentInput<M>, context: WorkspaceContext): string[];
  offline(input: AgentInput<M>, context: WorkspaceContext, today: string): AgentOutput<M>;
  persist(
    s: SqlSession,
    scope: PersistScope,
    output: AgentOutput<M>,
    input: AgentInput<M>,
    context: WorkspaceContext,
  ): Promise<PersistedRecord[]>;
}

const cents = (n: number) => Math.round(n * 100);

const definitions: { [M in AgentMode]: AgentDefinition<M> } = {
  setup: {
    mode: 'setup',
    name: AGENT_FUNCTIONS.setup,
    output: AGENT_OUTPUTS.setup,
    needs: () => ({}),
    instructions:
      'You run the brand intake: a short conversation (steps brand, audience, offers, voice, complete) that ' +
      'gathers the brand profile, its ideal-customer segments and its offers. Read the conversation, record what ' +
      'the user said in the structured fields, and reply with the next question (or a wrap-up when complete).',
    check: () => [],
    offline: (input, context) => offlineBrandIntake(input, context),
    persist: (s, scope, output, _input, context) => persistBrandIntake(s, scope, output, context),
  },
  strategy: {
    mode: 'strategy',
    name: AGENT_FUNCTIONS.strategy,
    output: AGENT_OUTPUTS.strategy,
    needs: () => ({ performanceDays: 90 }),
    instructions:
      'You write a 90-day marketing plan: phases with dates, focus, budget, channels, objectives and KPIs; the ' +
      'channel mix; milestones; risks. Pace the budget across the phases; the phase budgets must add up to the ' +
      'requested budget. Build on the offers, segments and past performance in the workspace data.',
    check: (output, input) => {
      const problems: string[] = [];
      const phases = output.phases.reduce((sum, phase) => sum + cents(phase.budget), 0);
      if (Math.abs(phases - cents(input.budget)) > 1)
        problems.push(`phases: the phase budgets add up to ${phases / 100}, not the requested budget ${input.budget}`);
      if (Math.abs(cents(output.budget) - cents(input.budget)) > 1)
        problems.push(`budget: must be the requested ${input.budget}`);
      if (output.end_date < output.start_date) problems.push('end_date: must not be before start_date');
      return problems;
    },
    offline: (input, context, today) => offlinePlan90Day(input, context, today),
    persist: (s, scope, output, input) => persistPlan(s, scope, output, input.constraints),
  },
  funnels: {
    mode: 'funnels',
    name: AGENT_FUNCTIONS.funnels,
    output: AGENT_OUTPUTS.funnels,
    needs: (input) => ({ plan: input.planId ? { id: input.planId, field: 'planId' } : 'latest' }),
    instructions:
      'You design a marketing funnel: its stages from awareness to conversion (and retention where it fits), ' +
      'each with its goal, channels, content types, the segment and offer it serves, a KPI and a target ' +
      'conversion rate to the next stage. Follow the plan in the workspace data when there is one.',
    check: () => [],
    offline: (input, context) => offlineFunnel(input, context),
    persist: (s, scope, output, _input, context) => persistFunnel(s, scope, output, context),
  },
  campaigns: {
    mode: 'campaigns',
    name: AGENT_FUNCTIONS.campaigns,
    output: AGENT_OUTPUTS.campaigns,
    needs: (input) => ({
      plan: input.planId ? { id: input.planId, field: 'planId' } : 'latest',
      funnel: input.funnelId ? { id: input.funnelId, field: 'funnelId' } : 'latest',
    }),
    instructions:
      'You design campaigns for the requested goal and channels: title, description, budget, call to action and ' +
      'a sequence of steps (asset type, channel, delay in hours after the previous step, and the copy of each ' +
      'step). Email subjects stay within 60 characters, SMS within 160, social posts within 280.',
    check: (output, input) => {
      const budget = input.preferences.budget;
      const total = output.campaigns.reduce((sum, campaign) => sum + cents(campaign.budget), 0);
      return budget !== undefined && total > cents(budget) + 1
        ? [`campaigns: the budgets add up to ${total / 100}, more than the ${budget} available`]
        : [];
    },
    offline: (input, context) => offlineCampaignDesign(input, context),
    persist: (s, scope, output, _input, context) => persistCampaignDesign(s, scope, output, context),
  },
  content: {
    mode: 'content',
    name: AGENT_FUNCTIONS.content,
    output: AGENT_OUTPUTS.content,
    needs: (input) => ({ campaign: { id: input.campaignId, field: 'campaignId' } }),
    instructions:
      'You write content for one campaign at one funnel stage: one asset per requested content type, each with ' +
      'two to four variants (labelled A, B, C, D) that try different angles on the segments’ pains and the ' +
      'offer, all leading to the requested call to action. Email subjects stay within 60 characters, SMS ' +
      'within 160, social posts within 280.',
    check: (output, input) =>
      output.assets.flatMap((asset, index) =>
        input.contentTypes.includes(asset.asset_type)
          ? []
          : [`assets.${index}.asset_type: ${asset.asset_type} was not requested (${input.contentTypes.join(', ')})`],
      ),
    offline: (input, context) => offlineContent(input, context),
    persist: (s, scope, output, input, context) => persistContent(s, scope, output, context, input.funnelStage),
  },
  optimization: {
    mode: 'optimization',
    name: AGENT_FUNCTIONS.optimization,
    output: AGENT_OUTPUTS.optimization,
    needs: (input) => ({
      plan: input.planId ? { id: input.planId, field: 'planId' } : undefined,
      funnel: input.funnelId ? { id: input.funnelId, field: 'funnelId' } : undefined,
      performanceDays: ANALYSIS_PERIODS[input.period],
    }),
    instructions:
      'You analyse the workspace’s campaign performance over the period and recommend what to change: budget, ' +
      'content, targeting, timing, channel or funnel. Each recommendation names its campaign (by id, from the ' +
      'workspace data) when it concerns one, and says why, with the numbers, and what to expect.',
    check: (output, _input, context) => {
      const known = new Set(context.performance?.campaigns.map((c) => c.id));
      return output.recommendations.flatMap((item, index) =>
        item.campaign_id && !known.has(item.campaign_id)
          ? [`recommendations.${index}.campaign_id: ${item.campaign_id} is not a campaign in the workspace data`]
          : [],
      );
    },
    offline: (input, context) => offlineOptimization(input, context),
    persist: (s, scope, output, _input, context) => persistRecommendations(s, scope, output, context),
  },
};

export function agentDefinition<M extends AgentMode>(mode: M): AgentDefinition<M> {
  return definitions[mode];
}
