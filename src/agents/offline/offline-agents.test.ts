import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASSET_TYPES } from '../../domain/asset-types.ts';
import {
  characterCount,
  SMS_MAX_CHARACTERS,
  SOCIAL_POST_MAX_CHARACTERS,
  SUBJECT_MAX_CHARACTERS,
} from '../../domain/channel-limits.ts';
import {
  brandIntakeInput,
  campaignDesignerInput,
  contentEngineInput,
  FUNNEL_STAGES,
  FUNNEL_TYPES,
  funnelArchitectInput,
  INTAKE_STEPS,
  optimizationAnalystInput,
  plan90DayInput,
} from '../agent-inputs.ts';
import {
  brandIntakeOutput,
  campaignDesignOutput,
  contentOutput,
  funnelOutput,
  optimizationOutput,
  plan90DayOutput,
  type VariantCopy,
} from '../agent-outputs.ts';
import type { WorkspaceContext } from '../workspace-context.ts';
import { offlineBrandIntake } from './brand-intake.ts';
import { offlineCampaignDesign } from './campaign-designer.ts';
import { offlineContent } from './content-engine.ts';
import { truncateAtWord } from './copy-helpers.ts';
import { offlineFunnel } from './funnel-architect.ts';
import { offlineOptimization } from './optimization-analyst.ts';
import { offlinePlan90Day } from './plan-90day.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const WORKSPACE_ID = uuid(1);
const LOSING_CAMPAIGN_ID = uuid(101);
const WINNING_CAMPAIGN_ID = uuid(102);
const TODAY = '2025-03-03';

function workspace(): WorkspaceContext {
  return {
    tenant: { id: uuid(900), name: 'Acme', currency: 'USD' },
    workspace: { id: WORKSPACE_ID, name: 'Acme main' },
    brand: {
      brand_name: 'Acme Analytics',
      industry: 'B2B analytics',
      website: 'https://acme-analytics.example',
      mission: 'We help RevOps teams forecast revenue.',
      brand_voice: 'Clear and direct',
      tone: ['clear', 'direct'],
      data: {},
    },
    segments: [
      {
        id: uuid(201),
        name: 'RevOps leaders',
        description: 'Heads of revenue operations at B2B SaaS companies',
        pains: ['Forecasts miss the quarter', 'CRM data nobody trusts'],
        goals: ['Accurate pipeline forecasts'],
        objections: ['We already have a BI tool'],
        channels: ['email', 'linkedin'],
      },
      {
        id: uuid(202),
        name: 'Seed-stage founders',
        description: null,
        pains: ['No time to build a sales process'],
        goals: ['First repeatable sales motion'],
        objections: ['Too expensive right now'],
        channels: ['email', 'x'],
      },
    ],
    offers: [
      {
        id: uuid(301),
        name: 'Pipeline Audit',
        description: 'A two-week review of your pipeline and forecast',
        offer_type: 'service',
        price: 490,
        currency: 'USD',
        cta: 'Book your audit',
      },
      {
        id: uuid(302),
        name: 'Forecast Pro',
        description: 'Forecasting software for RevOps teams',
        offer_type: 'subscription',
        price: 99,
        currency: 'USD',
        cta: null,
      },
    ],
    plan: {
      id: uuid(401),
      name: 'Acme Analytics 90-day revenue plan',
      primary_goal: 'Grow revenue from audits',
      budget: 12000,
      currency: 'USD',
      start_date: '2025-01-06',
      end_date: '2025-04-05',
      plan: {
        channel_mix: [
          { channel: 'email', share: 0.5, budget: 6000 },
          { channel: 'linkedin', share: 0.5, budget: 6000 },
        ],
      },
    },
    funnel: null,
    campaign: {
      id: WINNING_CAMPAIGN_ID,
      title: 'Pipeline Audit for RevOps leaders',
      description: 'Audits for RevOps leaders whose forecasts miss',
      goal: 'meetings',
      status: 'active',
      channels: ['email', 'sms', 'linkedin'],
      budget: 500,
      currency: 'USD',
      cta_text: 'Book your audit',
      cta_url: 'https://acme-analytics.example/audit',
      assets: [{ asset_type: 'email', name: 'Intro', channel: 'email', step_index: 0 }],
    },
    performance: {
      start: '2025-02-01',
      end: '2025-03-02',
      campaigns: [
        {
          id: LOSING_CAMPAIGN_ID,
          title: 'Founders cold outreach',
          status: 'active',
          goal: 'leads',
          budget: 1200,
          spend: 1000,
          revenue: 200,
          impressions: 20000,
          clicks: 120,
          conversions: 2,
          sends: 800,
          replies: 4,
          meetings: 0,
        },
        {
          id: WINNING_CAMPAIGN_ID,
          title: 'Pipeline Audit for RevOps leaders',
          status: 'active',
          goal: 'meetings',
          budget: 500,
          spend: 500,
          revenue: 2500,
          impressions: 5000,
          clicks: 150,
          conversions: 5,
          sends: 300,
          replies: 18,
          meetings: 6,
        },
      ],
    },
  };
}

const cents = (amount: number) => Math.round(amount * 100);
const sumOf = (values: number[]) => values.reduce((sum, value) => sum + value, 0);

/** Every limited field of some copy, checked against its channel's limit in code points. */
function expectWithinLimits(copy: VariantCopy) {
  if (copy.subject != null) expect(characterCount(copy.subject)).toBeLessThanOrEqual(SUBJECT_MAX_CHARACTERS);
  if (copy.sms_copy != null) {
    expect(characterCount(copy.sms_copy)).toBeLessThanOrEqual(SMS_MAX_CHARACTERS);
    expect(copy.sms_copy).toContain('Reply STOP to opt out.');
  }
  if (copy.social_post != null)
    expect(characterCount(copy.social_post)).toBeLessThanOrEqual(SOCIAL_POST_MAX_CHARACTERS);
}

describe('offlineBrandIntake', () => {
  const emptyWorkspace = (): WorkspaceContext => ({
    ...workspace(),
    brand: null,
    segments: [],
    offers: [],
    plan: null,
  });

  it('advances brand → audience → offers → voice → complete over a scripted conversation', () => {
    const answers = [
      'We are Nimbus Labs, a B2B data company. We help finance teams close the books faster. https://nimbus.example',
      'CFOs at mid-market companies: month-end close takes two weeks\nControllers; FP&A analysts',
      'Close Accelerator - $1,500 - a two-week sprint on your close\nNimbus Cloud: 2,000 EUR per month',
      'Calm, precise and friendly',
    ];
    const messages: { role: 'user' | 'assistant'; content: string }[] = [];
    let existingData: Record<string, unknown> = {};
    let step: string = 'brand';
    const visited: string[] = [];
    for (const answer of answers) {
      messages.push({ role: 'user', content: answer });
      const input = brandIntakeInput.parse({ messages, currentStep: step, existingData });
      const output = offlineBrandIntake(input, emptyWorkspace());
      expect(brandIntakeOutput.parse(output)).toEqual(output);
      messages.push({ role: 'assistant', content: output.reply });
      visited.push(output.next_step);
      step = output.next_step;
      existingData = { brand_profile: output.brand_profile, icp_segments: output.icp_segments, offers: output.offers };
    }
    expect(visited).toEqual(['audience', 'offers', 'voice', 'complete']);
    const last = offlineBrandIntake(
      brandIntakeInput.parse({ messages, currentStep: 'voice', existingData }),
      emptyWorkspace(),
    );
    expect(last.complete).toBe(true);
    expect(last.brand_profile).toMatchObject({
      brand_name: 'Nimbus Labs',
      industry: 'B2B data',
      website: 'https://nimbus.example',
      mission: 'We help finance teams close the books faster.',
      tone: ['calm', 'precise', 'friendly'],
    });
    expect(last.icp_segments.map((s) => s.name)).toEqual([
      'CFOs at mid-market companies',
      'Controllers',
      'FP&A analysts',
    ]);
    expect(last.icp_segments[0]!.pains).toEqual(['month-end close takes two weeks']);
    expect(last.offers).toEqual([
      expect.objectContaining({ name: 'Close Accelerator', price: 1500, currency: 'USD' }),
      expect.objectContaining({ name: 'Nimbus Cloud', price: 2000, currency: 'EUR', offer_type: 'subscription' }),
    ]);
    expect(last.offers[0]!.description).toBe('a two-week sprint on your close');
    expect(last.reply).toContain('Nimbus Labs');
  });

  it('mentions what it understood and asks the next question', () => {
    const input = brandIntakeInput.parse({
      messages: [{ role: 'user', content: 'RevOps leaders, CFOs' }],
      currentStep: 'audience',
    });
    const output = offlineBrandIntake(input, emptyWorkspace());
    expect(output.next_step).toBe('offers');
    expect(output.reply).toContain('RevOps leaders and CFOs');
    expect(output.reply).toMatch(/What do you sell\?/);
  });

  it('asks again instead of guessing when the brand answer holds no name', () => {
    const rambling =
      'Well, it is complicated, we have been going back and forth about what to call the whole thing for months now';
    const input = brandIntakeInput.parse({ messages: [{ role: 'user', content: rambling }], currentStep: 0 });
    const output = offlineBrandIntake(input, emptyWorkspace());
    expect(output).toMatchObject({ next_step: 'brand', complete: false });
    expect(output.brand_profile.brand_name).toBeNull();
    expect(output.offers).toEqual([]);
    const skipped = offlineBrandIntake(
      brandIntakeInput.parse({ messages: [{ role: 'user', content: 'skip' }], currentStep: 'brand' }),
      emptyWorkspace(),
    );
    expect(skipped).toMatchObject({ next_step: 'brand', brand_profile: { brand_name: null } });
  });

  it('keeps the stored brand, segments and offers and invents no offer when the user skips', () => {
    const input = brandIntakeInput.parse({ messages: [{ role: 'user', content: 'skip' }], currentStep: 'offers' });
    const stored = offlineBrandIntake(input, workspace());
    expect(stored.brand_profile.brand_name).toBe('Acme Analytics');
    expect(stored.icp_segments.map((s) => s.name)).toEqual(['RevOps leaders', 'Seed-stage founders']);
    expect(stored.offers.map((o) => o.name)).toEqual(['Pipeline Audit', 'Forecast Pro']);
    expect(stored.next_step).toBe('voice');
    expect(offlineBrandIntake(input, emptyWorkspace()).offers).toEqual([]);
  });
});

describe('offlinePlan90Day', () => {
  const request = (fields: Record<string, unknown> = {}) =>
    plan90DayInput.parse({
      workspaceId: WORKSPACE_ID,
      primaryGoal: 'Grow revenue to 50k MRR',
      budget: 12000,
      targetMetrics: { revenue: 50000, meetings: 40, conversion_rate: 0.05 },
      ...fields,
    });

  it('builds three 30-day phases over 90 days from the workspace data', () => {
    const plan = offlinePlan90Day(request({ startDate: '2025-04-01' }), workspace(), TODAY);
    expect(plan90DayOutput.parse(plan)).toEqual(plan);
    expect(plan.name).toContain('Acme Analytics');
    expect(plan).toMatchObject({ currency: 'USD', budget: 12000, start_date: '2025-04-01', end_date: '2025-06-29' });
    expect(plan.phases.map((p) => [p.start_date, p.end_date])).toEqual([
      ['2025-04-01', '2025-04-30'],
      ['2025-05-01', '2025-05-30'],
      ['2025-05-31', '2025-06-29'],
    ]);
    expect(plan.phases.map((p) => p.budget)).toEqual([3000, 4800, 4200]);
    expect(plan.phases[0]!.objectives).toContain('Launch Pipeline Audit to RevOps leaders');
    expect(plan.phases[0]!.objectives).toContain('Launch Forecast Pro to Seed-stage founders');
    expect(plan.target_metrics).toEqual({ revenue: 50000, meetings: 40, conversion_rate: 0.05 });
    const revenueByPhase = plan.phases.map((p) => p.kpis.find((k) => k.metric === 'revenue')!.target);
    expect(sumOf(revenueByPhase)).toBe(50000);
    expect(plan.phases.every((p) => p.kpis.some((k) => k.metric === 'conversion_rate' && k.target === 0.05))).toBe(
      true,
    );
    expect(plan.milestones.map((m) => m.date)).toEqual(['2025-04-14', '2025-04-28', '2025-05-26', '2025-06-29']);
    expect(plan.risks.join(' ')).toContain('We already have a BI tool');
  });

  it('defaults the start to today and takes channels from the segments, most used first', () => {
    const plan = offlinePlan90Day(request(), workspace(), TODAY);
    expect(plan.start_date).toBe(TODAY);
    expect(plan.channel_mix.map((c) => c.channel)).toEqual(['email', 'linkedin', 'x']);
    expect(plan.channel_mix[0]!.budget).toBeGreaterThan(plan.channel_mix[1]!.budget);
  });

  it('keeps to the requested channels minus the excluded ones', () => {
    const constraints = { channels: ['email', 'sms', 'linkedin'], excludedChannels: ['sms'] };
    const plan = offlinePlan90Day(request({ constraints }), workspace(), TODAY);
    expect(plan.channel_mix.map((c) => c.channel)).toEqual(['email', 'linkedin']);
    const defaults = offlinePlan90Day(
      request({ primaryGoal: 'Book 40 demos', constraints: { excludedChannels: ['linkedin'] } }),
      { ...workspace(), segments: [] },
      TODAY,
    );
    expect(defaults.channel_mix.map((c) => c.channel)).toEqual(['email', 'phone', 'sms']);
  });

  it('splits any budget so phases and channels add up to it exactly, to the cent', () => {
    for (const budget of [12000, 1000.01, 333.33, 0.05, 99999.99, 7, 123456789.87]) {
      const plan = offlinePlan90Day(request({ budget }), workspace(), TODAY);
      expect(plan90DayOutput.safeParse(plan).success).toBe(true);
      expect(sumOf(plan.phases.map((p) => cents(p.budget)))).toBe(cents(budget));
      expect(sumOf(plan.channel_mix.map((c) => cents(c.budget)))).toBe(cents(budget));
      expect(sumOf(plan.phases.map((p) => p.budget))).toBeCloseTo(budget, 6);
      expect(sumOf(plan.channel_mix.map((c) => c.share))).toBeCloseTo(1, 9);
    }
  });
});

describe('offlineFunnel', () => {
  const request = (fields: Record<string, unknown> = {}) =>
    funnelArchitectInput.parse({ workspaceId: WORKSPACE_ID, ...fields });

  it('builds stages for the primary segment and offer on the plan’s channels', () => {
    const funnel = offlineFunnel(request({ funnelType: 'lead_magnet' }), workspace());
    expect(funnelOutput.parse(funnel)).toEqual(funnel);
    expect(funnel.name).toContain('Pipeline Audit');
    expect(funnel.stages.map((s) => s.stage)).toEqual([
      'awareness',
      'consideration',
      'consideration',
      'conversion',
      'retention',
    ]);
    expect(funnel.stages.every((s) => s.segment === 'RevOps leaders' && s.offer === 'Pipeline Audit')).toBe(true);
    expect(funnel.stages[0]!.goal).toBe('Reach RevOps leaders with content about forecasts miss the quarter');
    expect(funnel.stages[0]!.channels).toEqual(['email', 'linkedin']);
    expect(funnel.stages.map((s) => s.target_conversion_rate)).toEqual([0.3, 0.25, 0.15, 0.05, 0.6]);
  });

  it('fits every funnel type with 3–5 stages from awareness to conversion', () => {
    for (const funnelType of FUNNEL_TYPES) {
      const funnel = offlineFunnel(request({ funnelType }), workspace());
      expect(funnelOutput.safeParse(funnel).success).toBe(true);
      expect(funnel.stages.length).toBeGreaterThanOrEqual(3);
      expect(funnel.stages.length).toBeLessThanOrEqual(5);
      expect(funnel.stages[0]!.stage).toBe('awareness');
      expect(funnel.stages.some((s) => s.stage === 'conversion')).toBe(true);
    }
  });

  it('takes the type from the plan’s goal and falls back to the segments’ channels, then email', () => {
    // A revenue plan sells a service (the audit) through conversations, software through a trial.
    expect(offlineFunnel(request(), workspace()).funnel_type).toBe('demo_request');
    const softwareFirst = { ...workspace(), offers: [...workspace().offers].reverse() };
    expect(offlineFunnel(request(), softwareFirst).funnel_type).toBe('free_trial');
    const noPlan = { ...workspace(), plan: null };
    const fromSegments = offlineFunnel(request(), noPlan);
    expect(fromSegments.funnel_type).toBe('lead_magnet');
    expect(fromSegments.stages[0]!.channels).toEqual(['email', 'linkedin', 'x']);
    const bare = offlineFunnel(request(), { ...noPlan, segments: [], offers: [] });
    expect(funnelOutput.safeParse(bare).success).toBe(true);
    expect(bare.stages.every((s) => s.channels.join() === 'email' && s.segment === null)).toBe(true);
  });
});

describe('offlineCampaignDesign', () => {
  const request = (fields: Record<string, unknown> = {}) =>
    campaignDesignerInput.parse({
      workspaceId: WORKSPACE_ID,
      campaignGoal: 'meetings',
      channels: ['email', 'sms', 'linkedin', 'phone'],
      ...fields,
    });

  it('designs one campaign per segment for the first offer with copy from their pains', () => {
    const design = offlineCampaignDesign(request({ preferences: { budget: 1000, steps: 4 } }), workspace());
    expect(campaignDesignOutput.parse(design)).toEqual(design);
    expect(design.campaigns.map((c) => [c.segment, c.offer, c.budget])).toEqual([
      ['RevOps leaders', 'Pipeline Audit', 500],
      ['Seed-stage founders', 'Pipeline Audit', 500],
    ]);
    const [first] = design.campaigns;
    expect(first).toMatchObject({
      title: 'Pipeline Audit for RevOps leaders',
      goal: 'meetings',
      cta_text: 'Book your audit',
      cta_url: 'https://acme-analytics.example',
    });
    expect(first!.sequence.map((s) => [s.asset_type, s.channel, s.delay_hours])).toEqual([
      ['email', 'email', 0],
      ['sms', 'sms', 72],
      ['social_post', 'linkedin', 96],
      ['voice', 'phone', 120],
    ]);
    expect(first!.sequence[0]!.body).toContain('forecasts miss the quarter');
    expect(first!.sequence[1]!.sms_copy).toContain('CRM data nobody trusts');
    expect(first!.description).toContain('490 USD');
    for (const step of design.campaigns.flatMap((c) => c.sequence)) expectWithinLimits(step);
  });

  it('splits odd budgets to the cent and falls back to a third of the plan’s budget', () => {
    const odd = offlineCampaignDesign(request({ preferences: { budget: 1000.01 } }), workspace());
    expect(sumOf(odd.campaigns.map((c) => cents(c.budget)))).toBe(100001);
    const fromPlan = offlineCampaignDesign(request(), workspace());
    expect(fromPlan.campaigns.map((c) => c.budget)).toEqual([2000, 2000]);
    const nothing = offlineCampaignDesign(request(), { ...workspace(), plan: null });
    expect(nothing.campaigns.every((c) => c.budget === 0)).toBe(true);
  });

  it('makes one generic campaign without segments and keeps long names within the limits', () => {
    const bare = offlineCampaignDesign(request({ campaignGoal: 'leads' }), {
      ...workspace(),
      brand: { ...workspace().brand!, website: 'acme-analytics.example' },
      segments: [],
      offers: [],
    });
    expect(campaignDesignOutput.parse(bare)).toEqual(bare);
    expect(bare.campaigns).toHaveLength(1);
    expect(bare.campaigns[0]).toMatchObject({ cta_text: 'Get started', cta_url: null, segment: null, offer: null });
    const long = workspace();
    long.offers[0]!.name = `The ${'Extraordinarily Comprehensive '.repeat(5)}Pipeline Audit 🚀`;
    long.segments[0]!.pains = [`${'Really quite painful '.repeat(12)}forecasting 📉`];
    const design = offlineCampaignDesign(request({ preferences: { steps: 6 } }), long);
    expect(campaignDesignOutput.safeParse(design).success).toBe(true);
    for (const step of design.campaigns.flatMap((c) => c.sequence)) expectWithinLimits(step);
  });
});

describe('offlineContent', () => {
  const request = (fields: Record<string, unknown> = {}) =>
    contentEngineInput.parse({
      workspaceId: WORKSPACE_ID,
      campaignId: WINNING_CAMPAIGN_ID,
      funnelStage: 'consideration',
      channels: ['linkedin', 'email', 'sms', 'phone'],
      ctaIntent: 'Book a pipeline audit call',
      contentTypes: ['email', 'sms', 'voice', 'social_post'],
      ...fields,
    });

  it('writes one asset per content type with variants by angle from the segment’s pains', () => {
    const content = offlineContent(request(), workspace());
    expect(contentOutput.parse(content)).toEqual(content);
    expect(content.assets.map((a) => [a.asset_type, a.channel, a.delay_hours])).toEqual([
      ['email', 'email', 72],
      ['sms', 'sms', 96],
      ['voice', 'phone', 120],
      ['social_post', 'linkedin', 144],
    ]);
    const email = content.assets[0]!;
    expect(email.name).toBe('Pipeline Audit for RevOps leaders – consideration email');
    expect(email.variants.map((v) => v.label)).toEqual(['A', 'B', 'C']);
    expect(email.variants.map((v) => v.subject)).toEqual([
      'Forecasts miss the quarter: how Pipeline Audit helps',
      'CRM data nobody trusts: how Pipeline Audit helps',
      'Accurate pipeline forecasts with Pipeline Audit',
    ]);
    for (const variant of email.variants) {
      expect(variant.body).toContain('Book a pipeline audit call');
      expect(variant.body).toContain('https://acme-analytics.example/audit');
    }
    const voice = content.assets[2]!.variants[0]!.voice_script!;
    expect(voice).toContain("Hi, I'm calling from Acme Analytics.");
    expect(voice).toContain('forecasts miss the quarter.\nQuestion: Is that something your team runs into as well?');
    expect(content.assets[2]!.variants[2]!.voice_script).toContain(
      'does this sound familiar: forecasts miss the quarter?',
    );
    expect(voice).toContain('book a pipeline audit call');
    for (const variant of content.assets.flatMap((a) => a.variants)) expectWithinLimits(variant);
  });

  it('covers every asset type and keeps long copy within the limits, counted in code points', () => {
    const long = workspace();
    long.offers[0]!.name = `Pipeline Audit ${'Platinum Edition '.repeat(4)}🚀🚀`;
    long.segments[0]!.pains = [`${'Forecasts that miss the quarter again and again '.repeat(4)}📉`, 'Bad data'];
    const content = offlineContent(request({ contentTypes: [...ASSET_TYPES], funnelStage: 'awareness' }), long);
    expect(contentOutput.parse(content)).toEqual(content);
    expect(content.assets.map((a) => a.asset_type)).toEqual([...ASSET_TYPES]);
    for (const asset of content.assets) {
      expect(asset.variants.length).toBeGreaterThanOrEqual(2);
      expect(asset.variants.length).toBeLessThanOrEqual(3);
      for (const variant of asset.variants) expectWithinLimits(variant);
    }
  });

  it('still writes two variants when the workspace knows no pains or offers', () => {
    const bare = { ...workspace(), segments: [], offers: [], campaign: { ...workspace().campaign!, cta_url: null } };
    const content = offlineContent(request({ contentTypes: ['email'] }), bare);
    expect(contentOutput.parse(content)).toEqual(content);
    // No pains or goals: the campaign itself and the call to action are the two angles.
    expect(content.assets[0]!.variants.map((v) => v.subject)).toEqual([
      'Pipeline Audit for RevOps leaders',
      'Book a pipeline audit call: Pipeline Audit for RevOps',
    ]);
  });
});

describe('offlineOptimization', () => {
  const request = optimizationAnalystInput.parse({ workspaceId: WORKSPACE_ID, period: '30d' });

  it('recommends cutting the loser and scaling the winner, with their numbers and ids', () => {
    const analysis = offlineOptimization(request, workspace());
    expect(optimizationOutput.parse(analysis)).toEqual(analysis);
    expect(analysis.period).toEqual({ start: '2025-02-01', end: '2025-03-02' });
    const cut = analysis.recommendations.find((r) => r.title.startsWith('Cut the budget'))!;
    expect(cut).toMatchObject({ campaign_id: LOSING_CAMPAIGN_ID, category: 'budget', priority: 'high' });
    expect(cut.rationale).toContain('1,000 USD');
    expect(cut.rationale).toContain('200 USD');
    expect(cut.rationale).toContain('ROI 0.20');
    const raise = analysis.recommendations.find((r) => r.title.startsWith('Increase the budget'))!;
    expect(raise).toMatchObject({ campaign_id: WINNING_CAMPAIGN_ID, category: 'budget' });
    expect(raise.rationale).toContain('ROI 5.00');
    const rewrite = analysis.recommendations.find((r) => r.category === 'content')!;
    expect(rewrite).toMatchObject({ campaign_id: LOSING_CAMPAIGN_ID });
    expect(rewrite.rationale).toContain('4 replies from 800 sends (0.5%)');
    expect(analysis.recommendations.some((r) => r.category === 'channel')).toBe(true);
    const order = { high: 0, medium: 1, low: 2 };
    const priorities = analysis.recommendations.map((r) => order[r.priority]);
    expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
    expect(analysis.summary).toContain('1,500 USD');
  });

  it('says there is no data when performance is missing or empty', () => {
    const empty = offlineOptimization(request, {
      ...workspace(),
      performance: { start: '2025-02-01', end: '2025-03-02', campaigns: [] },
    });
    expect(optimizationOutput.parse(empty)).toEqual(empty);
    expect(empty.summary).toMatch(/^No performance data/);
    expect(empty.recommendations.length).toBeLessThanOrEqual(1);
    expect(empty.recommendations.every((r) => r.category === 'funnel' && r.campaign_id == null)).toBe(true);
    const missing = offlineOptimization(request, { ...workspace(), performance: null }, TODAY);
    expect(optimizationOutput.parse(missing)).toEqual(missing);
    expect(missing.period).toEqual({ start: '2025-02-01', end: '2025-03-02' });
  });

  it('keeps to 20 recommendations, highest priority first', () => {
    const many = workspace();
    many.performance!.campaigns = Array.from({ length: 30 }, (_, i) => ({
      ...many.performance!.campaigns[i % 2]!,
      id: uuid(1000 + i),
      spend: 100 + i * 10,
    }));
    const analysis = offlineOptimization(request, many);
    expect(optimizationOutput.safeParse(analysis).success).toBe(true);
    expect(analysis.recommendations).toHaveLength(20);
    expect(analysis.recommendations[0]!.priority).toBe('high');
  });
});

describe('determinism', () => {
  it('gives identical output for the same input', () => {
    const runs = () => [
      offlineBrandIntake(
        brandIntakeInput.parse({
          messages: [{ role: 'user', content: 'Pipeline Audit - $490' }],
          currentStep: 'offers',
        }),
        workspace(),
      ),
      offlinePlan90Day(
        plan90DayInput.parse({ workspaceId: WORKSPACE_ID, primaryGoal: 'More leads', budget: 999.99 }),
        workspace(),
        TODAY,
      ),
      offlineFunnel(funnelArchitectInput.parse({ workspaceId: WORKSPACE_ID }), workspace()),
      offlineCampaignDesign(
        campaignDesignerInput.parse({ workspaceId: WORKSPACE_ID, campaignGoal: 'revenue', channels: ['email', 'sms'] }),
        workspace(),
      ),
      offlineContent(
        contentEngineInput.parse({
          workspaceId: WORKSPACE_ID,
          campaignId: WINNING_CAMPAIGN_ID,
          funnelStage: 'conversion',
          channels: ['email'],
          ctaIntent: 'Book an audit',
          contentTypes: ['email', 'landing_page'],
        }),
        workspace(),
      ),
      offlineOptimization(optimizationAnalystInput.parse({ workspaceId: WORKSPACE_ID }), workspace()),
    ];
    expect(JSON.stringify(runs())).toBe(JSON.stringify(runs()));
  });
});

describe('truncateAtWord', () => {
  it('cuts at a word boundary and counts emoji as one character', () => {
    expect(truncateAtWord('Pipeline Audit for RevOps leaders', 20)).toBe('Pipeline Audit for');
    expect(truncateAtWord('🚀🚀🚀 go', 5)).toBe('🚀🚀🚀');
    expect(truncateAtWord('Supercalifragilistic', 5)).toBe('Super');
  });
});

describe('any workspace data', () => {
  const anyText = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('', '   ', '🚀📉 émoji', 'A'.repeat(300)));
  const anyChannel = fc.constantFrom('email', 'sms', 'linkedin', 'phone', 'x', 'paid_search', 'webinar', 'Bad Channel');
  const anyWorkspace = fc.record({
    names: fc.array(fc.string({ minLength: 1, maxLength: 120 }), { minLength: 0, maxLength: 4 }),
    pains: fc.array(anyText, { maxLength: 4 }),
    offerName: fc.string({ minLength: 1, maxLength: 200 }),
    cta: fc.option(anyText),
    description: fc.option(anyText),
    price: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true })),
    channels: fc.array(anyChannel, { maxLength: 4 }),
    website: fc.option(fc.constantFrom('https://a.example', 'nope', '')),
  });

  function build(data: {
    names: string[];
    pains: string[];
    offerName: string;
    cta: string | null;
    description: string | null;
    price: number | null;
    channels: string[];
    website: string | null;
  }): WorkspaceContext {
    const base = workspace();
    base.brand!.website = data.website;
    base.segments = data.names.map((name, i) => ({
      ...base.segments[i % 2]!,
      name,
      pains: data.pains,
      goals: data.pains.slice(1),
      objections: data.pains.slice(2),
      channels: data.channels,
    }));
    base.offers[0] = {
      ...base.offers[0]!,
      name: data.offerName,
      cta: data.cta,
      description: data.description,
      price: data.price,
    };
    return base;
  }

  it('always yields output that fits the schemas and the channel limits', () => {
    fc.assert(
      fc.property(anyWorkspace, fc.constantFrom(...FUNNEL_STAGES), (data, funnelStage) => {
        const context = build(data);
        const plan = offlinePlan90Day(
          plan90DayInput.parse({ workspaceId: WORKSPACE_ID, primaryGoal: 'Book demos', budget: 1234.56 }),
          context,
          TODAY,
        );
        expect(plan90DayOutput.parse(plan)).toEqual(plan);
        const funnel = offlineFunnel(funnelArchitectInput.parse({ workspaceId: WORKSPACE_ID }), context);
        expect(funnelOutput.parse(funnel)).toEqual(funnel);
        const design = offlineCampaignDesign(
          campaignDesignerInput.parse({
            workspaceId: WORKSPACE_ID,
            campaignGoal: 'leads',
            channels: ['email', 'sms', 'x', 'phone'],
            preferences: { steps: 5 },
          }),
          context,
        );
        expect(campaignDesignOutput.parse(design)).toEqual(design);
        for (const step of design.campaigns.flatMap((c) => c.sequence)) expectWithinLimits(step);
        const content = offlineContent(
          contentEngineInput.parse({
            workspaceId: WORKSPACE_ID,
            campaignId: WINNING_CAMPAIGN_ID,
            funnelStage,
            channels: ['email', 'sms'],
            ctaIntent: 'Book a call',
            contentTypes: [...ASSET_TYPES],
          }),
          context,
        );
        expect(contentOutput.parse(content)).toEqual(content);
        for (const variant of content.assets.flatMap((a) => a.variants)) expectWithinLimits(variant);
      }),
      { numRuns: 150 },
    );
  });

  it('answers any intake message and any performance numbers within the schemas', () => {
    const counts = fc.nat({ max: 100_000 });
    const anyCampaign = fc.record({
      spend: counts,
      revenue: counts,
      impressions: counts,
      clicks: counts,
      sends: counts,
      replies: counts,
      meetings: counts,
    });
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.constantFrom(...INTAKE_STEPS),
        fc.array(anyCampaign, { maxLength: 25 }),
        (answer, currentStep, numbers) => {
          const input = brandIntakeInput.parse({ messages: [{ role: 'user', content: answer }], currentStep });
          const intake = offlineBrandIntake(input, workspace());
          expect(brandIntakeOutput.parse(intake)).toEqual(intake);
          const context = workspace();
          const template = context.performance!.campaigns[0]!;
          context.performance!.campaigns = numbers.map((n, i) => ({ ...template, ...n, id: uuid(5000 + i) }));
          const analysis = offlineOptimization(optimizationAnalystInput.parse({ workspaceId: WORKSPACE_ID }), context);
          expect(optimizationOutput.parse(analysis)).toEqual(analysis);
        },
      ),
      { numRuns: 300 },
    );
  });
});
