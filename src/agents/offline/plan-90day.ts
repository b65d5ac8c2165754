// The offline strategy agent: a 90-day plan in three 30-day phases built from the request and the
// workspace's own offers and segments. Budgets are split in cents with the remainder on the last
// part, so phases and channels add up to the requested budget exactly.
import type { Plan90DayInput } from '../agent-inputs.ts';
import type { Plan90DayOutput } from '../agent-outputs.ts';
import type { OfferContext, SegmentContext, WorkspaceContext } from '../workspace-context.ts';
import {
  addDays,
  classifyGoal,
  formatMoney,
  type Goal,
  joinNames,
  splitAmount,
  truncateAtWord,
  unique,
  usableContext,
  withoutEndPunctuation,
} from './copy-helpers.ts';

type Phase = Plan90DayOutput['phases'][number];
type Kpi = Phase['kpis'][number];

/** Launch light while tracking settles, spend most once results show what works, keep pace after. */
const PHASES = [
  { name: 'Foundation & launch', weight: 25, firstDay: 0, focus: 'Set up tracking and launch the core offer' },
  { name: 'Scale', weight: 40, firstDay: 30, focus: 'Put budget behind the channels and messages that work' },
  { name: 'Optimize', weight: 35, firstDay: 60, focus: 'Cut what underperforms, test copy and answer objections' },
] as const;
const PHASE_WEIGHTS = PHASES.map((phase) => phase.weight);
const PHASE_DAYS = 30;

const GOAL_LABEL: Record<Goal, string> = { leads: 'lead generation', meetings: 'meetings', revenue: 'revenue' };
const GOAL_METRIC: Record<Goal, string> = { leads: 'leads', meetings: 'meetings booked', revenue: 'revenue' };
const DEFAULT_CHANNELS: Record<Goal, string[]> = {
  leads: ['email', 'linkedin', 'content'],
  meetings: ['email', 'linkedin', 'phone'],
  revenue: ['email', 'paid_search', 'paid_social'],
};
/** More names than excludedChannels may hold (10), so excluding never leaves the plan without one. */
const FALLBACK_CHANNELS = [
  'email',
  'linkedin',
  'phone',
  'sms',
  'paid_search',
  'paid_social',
  'content',
  'seo',
  'webinar',
  'events',
  'referral',
];
/** Targets that are rates or ratios hold in every phase; counts and amounts are split across them. */
const RATE_METRIC = /(rate|ratio|roi|roas|ctr|cac|cpl|cpa|cpc|aov|ltv|margin|percent|pct|share|score)$/;

export function offlinePlan90Day(input: Plan90DayInput, stored: WorkspaceContext, today: string): Plan90DayOutput {
  const context = usableContext(stored);
  const goal = classifyGoal(input.primaryGoal);
  const { segments, offers } = context;
  const currency = context.tenant.currency;
  const start = input.startDate ?? today;
  const channels = chooseChannels(input, segments, goal);
  // A channel more segments use gets more of the budget.
  const channelWeights = channels.map((channel) => 1 + countUsers(segments, channel));
  const channelBudgets = splitAmount(input.budget, channelWeights);
  const channelShares = splitAmount(1, channelWeights, 4);
  const phaseBudgets = splitAmount(input.budget, PHASE_WEIGHTS);
  const brandName = context.brand?.brand_name;
  const name = brandName
    ? `${brandName} 90-day ${GOAL_LABEL[goal]} plan`
    : `90-day ${GOAL_LABEL[goal]} plan for ${context.workspace.name}`;
  const money = formatMoney(input.budget, currency);
  const audience = segments.length ? joinNames(segments.map((s) => s.name)) : 'an audience still to be defined';
  const focus = offers.length ? joinNames(offers.map((o) => o.name)) : 'an offer still to be defined';
  const summary = [
    `Goal: ${withoutEndPunctuation(input.primaryGoal)}. From ${start} to ${addDays(start, 89)}, ${money} across ${joinNames(channels)}.`,
    `The budget paces ${PHASE_WEIGHTS.map((weight) => `${weight}%`).join(' / ')} over three 30-day phases (${PHASES.map((p) => p.name.toLowerCase()).join(', ')}), focused on ${focus} for ${audience}.`,
    input.constraints.notes ? `Constraints: ${input.constraints.notes}` : '',
  ];
  return {
    name: truncateAtWord(name, 300),
    summary: truncateAtWord(summary.join(' ').trim(), 4000),
    primary_goal: input.primaryGoal,
    budget: input.budget,
    currency,
    start_date: start,
    end_date: addDays(start, 89),
    phases: PHASES.map((phase, index) => ({
      name: phase.name,
      start_date: addDays(start, phase.firstDay),
      end_date: addDays(start, phase.firstDay + PHASE_DAYS - 1),
      focus: phase.focus,
      budget: phaseBudgets[index]!,
      // The launch phase concentrates on the two strongest channels; later phases use them all.
      channels: index === 0 ? channels.slice(0, 2) : channels,
      objectives: phaseObjectives(index, goal, segments, offers, channels).map((o) => truncateAtWord(o, 500)),
      kpis: phaseKpis(index, input.targetMetrics, phaseBudgets[index]!, goal),
    })),
    channel_mix: channels.map((channel, index) => ({
      channel,
      share: channelShares[index]!,
      budget: channelBudgets[index]!,
    })),
    milestones: milestones(start, goal, offers, channels, input.targetMetrics),
    target_metrics: { ...input.targetMetrics },
    risks: risks(segments, offers, channels).map((risk) => truncateAtWord(risk, 500)),
  };
}

function chooseChannels(input: Plan90DayInput, segments: SegmentContext[], goal: Goal): string[] {
  const excluded = new Set(input.constraints.excludedChannels ?? []);
  const allowed = (list: readonly string[]) => unique(list).filter((channel) => !excluded.has(channel));
  const requested = allowed(input.constraints.channels ?? []);
  if (requested.length) return requested.slice(0, 10);
  // Channels by how many segments use them, so the mix follows where the audience is.
  const segmentChannels = allowed(segments.flatMap((s) => s.channels)).sort(
    (a, b) => countUsers(segments, b) - countUsers(segments, a),
  );
  if (segmentChannels.length) return segmentChannels.slice(0, 10);
  return allowed([...DEFAULT_CHANNELS[goal], ...FALLBACK_CHANNELS]).slice(0, 3);
}

const countUsers = (segments: SegmentContext[], channel: string) =>
  segments.filter((s) => s.channels.includes(channel)).length;

function phaseObjectives(
  phase: number,
  goal: Goal,
  segments: SegmentContext[],
  offers: OfferContext[],
  channels: string[],
): string[] {
  const segmentNames = joinNames(segments.map((s) => s.name)) || 'your ICP segments';
  const firstOffer = offers[0]?.name;
  if (phase === 0) {
    const launches = segments.length
      ? segments.slice(0, 3).map((s, i) => {
          const offer = offers[i % Math.max(offers.length, 1)]?.name;
          return offer ? `Launch ${offer} to ${s.name}` : `Define the first offer for ${s.name}`;
        })
      : [
          firstOffer
            ? `Launch ${firstOffer} and define the ICP segments it serves`
            : 'Define the first offer and ICP segment',
        ];
    const painful = segments.find((s) => s.pains.length);
    const content = painful ? [`Publish content on "${painful.pains[0]}" for ${painful.name}`] : [];
    return [...launches, ...content, `Track ${GOAL_METRIC[goal]} on ${joinNames(channels.slice(0, 2))} from day one`];
  }
  if (phase === 1) {
    const push: Record<Goal, string> = {
      leads: `Grow qualified leads for ${firstOffer ?? 'the core offer'} from ${segmentNames}`,
      meetings: `Book ${firstOffer ?? 'discovery'} meetings with ${segmentNames}`,
      revenue: `Drive ${firstOffer ?? 'core offer'} sales from ${segmentNames}`,
    };
    const crossSell = offers[1] && segments[0] ? [`Offer ${offers[1].name} to ${segments[0].name}`] : [];
    return [
      push[goal],
      ...crossSell,
      `Move budget to the channels that met their week-4 targets among ${joinNames(channels)}`,
    ];
  }
  const objections = segments
    .flatMap((s) => s.objections.slice(0, 1).map((objection) => `Answer "${objection}" for ${s.name} in follow-ups`))
    .slice(0, 2);
  return [
    'Cut or rework the weakest channel and move its budget to the strongest',
    `A/B test subject lines and calls to action${firstOffer ? ` for ${firstOffer}` : ''}`,
    ...objections,
    'Review results against the targets and draft the next 90 days',
  ];
}

function phaseKpis(phase: number, targets: Record<string, number>, phaseBudget: number, goal: Goal): Kpi[] {
  const goalWord = goal === 'meetings' ? 'meeting' : goal.replace(/s$/, '');
  // The goal's own metrics first, so they survive the limit of ten.
  const names = Object.keys(targets).sort((a, b) => Number(b.includes(goalWord)) - Number(a.includes(goalWord)));
  const kpis = names.map((metric) => {
    const target = targets[metric]!;
    if (RATE_METRIC.test(metric)) return { metric, target };
    const decimals = Number.isInteger(target) ? 0 : 2;
    return { metric, target: splitAmount(target, PHASE_WEIGHTS, decimals)[phase]! };
  });
  if (!('spend' in targets)) kpis.push({ metric: 'spend', target: phaseBudget });
  return kpis.slice(0, 10);
}

function milestones(
  start: string,
  goal: Goal,
  offers: OfferContext[],
  channels: string[],
  targets: Record<string, number>,
): Plan90DayOutput['milestones'] {
  const targetList = Object.entries(targets).map(([metric, target]) => `${metric} ${target}`);
  return [
    {
      date: addDays(start, 13),
      description: `Tracking live and the first ${offers[0]?.name ?? 'offer'} assets running on ${joinNames(channels.slice(0, 2))}`,
    },
    { date: addDays(start, 27), description: `Foundation review: ${GOAL_METRIC[goal]} baseline measured per channel` },
    { date: addDays(start, 55), description: 'Mid-plan review: budget moved to the best channels and messages' },
    {
      date: addDays(start, 89),
      description: targetList.length
        ? truncateAtWord(`Plan review against the targets: ${targetList.join(', ')}`, 500)
        : `Plan review: ${GOAL_METRIC[goal]} and spend over the 90 days`,
    },
  ];
}

function risks(segments: SegmentContext[], offers: OfferContext[], channels: string[]): string[] {
  const offerName = offers[0]?.name ?? 'the offer';
  const objections = segments.flatMap((s) =>
    s.objections.map((objection) => `${s.name} may object: "${objection}". Address it in ${offerName} messaging.`),
  );
  const gaps = [
    segments.length ? null : 'No ICP segments are stored: targeting rests on assumptions until they are.',
    offers.length ? null : 'No offers are stored: campaigns have nothing concrete to sell yet.',
    channels.length === 1
      ? `Everything runs on ${channels[0]}: a cost rise or outage there hits the whole plan.`
      : null,
  ].filter((risk): risk is string => risk !== null);
  return [...gaps, ...objections].slice(0, 10);
}
