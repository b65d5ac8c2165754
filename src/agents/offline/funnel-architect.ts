// The offline funnel agent: a stage template per funnel type, filled with the workspace's primary
// segment, offer and pain, on the channels the plan chose (or the segments use). Conversion rates
// are typical B2B/B2C benchmarks per stage, meant as starting targets the optimizer revises.
import { ASSET_TYPES, type AssetType } from '../../domain/asset-types.ts';
import type { FUNNEL_STAGES, FUNNEL_TYPES, FunnelArchitectInput } from '../agent-inputs.ts';
import type { FunnelOutput } from '../agent-outputs.ts';
import type { WorkspaceContext } from '../workspace-context.ts';
import {
  CHANNEL_NAME,
  channelFits,
  classifyGoal,
  formatPercent,
  joinNames,
  lowerFirst,
  truncateAtWord,
  unique,
  usableContext,
  withoutEndPunctuation,
} from './copy-helpers.ts';

type FunnelType = (typeof FUNNEL_TYPES)[number];
type Stage = FunnelOutput['stages'][number];

type Reach = 'all' | 'direct' | 'owned';
interface StageTemplate {
  name: string;
  stage: (typeof FUNNEL_STAGES)[number];
  goal: string;
  content: AssetType[];
  kpi: string;
  rate: number;
  reach: Reach;
}

/**
 * One row per stage: name | stage | goal ({segment}, {offer}, {pain} filled in from the workspace)
 * | content types | KPI | target conversion rate | reach: which channels carry the stage, all of
 * them, the one-to-one ones (email, SMS, calls) or the owned ones (email, SMS).
 */
const REACH = 'Reach | awareness | Reach {segment} with content about {pain} | social_post ad | Visit rate | 0.3 | all';
const RETAIN =
  'Retain & expand | retention | Onboard new {offer} customers and ask for referrals | email | Retention rate | 0.6 | owned';
const TEMPLATE_ROWS: Record<FunnelType, string[]> = {
  lead_magnet: [
    REACH,
    'Opt-in | consideration | Trade a useful resource on {pain} for an email address | landing_page ad | Opt-in rate | 0.25 | all',
    'Nurture | consideration | Show {segment} how {offer} solves {pain} | email | Email click rate | 0.15 | owned',
    'Offer | conversion | Invite engaged leads to {offer} | email landing_page | Offer conversion rate | 0.05 | direct',
    RETAIN,
  ],
  webinar: [
    'Promote | awareness | Promote a session on {pain} to {segment} | social_post ad email | Registration page visit rate | 0.3 | all',
    'Register | consideration | Turn visits into registrations | landing_page email | Registration rate | 0.25 | all',
    'Attend | consideration | Get registrants to show up with reminders | email sms | Attendance rate | 0.4 | direct',
    'Offer | conversion | Present {offer} to attendees and replay viewers | email voice | Post-webinar conversion rate | 0.1 | direct',
    RETAIN,
  ],
  demo_request: [
    REACH,
    'Educate | consideration | Show {segment} proof that {offer} fixes {pain} | email landing_page | Demo page visit rate | 0.15 | all',
    'Book a demo | conversion | Get {segment} to book a {offer} demo | landing_page email voice | Demo booking rate | 0.1 | direct',
    'Close | conversion | Follow up every demo until a decision on {offer} | email voice | Demo-to-close rate | 0.25 | direct',
  ],
  free_trial: [
    REACH,
    'Trial signup | consideration | Get {segment} to start a {offer} trial | landing_page ad | Trial signup rate | 0.1 | all',
    'Activate | consideration | Walk new trials to their first result on {pain} | email sms | Activation rate | 0.4 | owned',
    'Convert to paid | conversion | Turn activated trials into paying {offer} customers | email | Trial-to-paid rate | 0.15 | direct',
    RETAIN,
  ],
  ecommerce: [
    'Discover | awareness | Put {offer} in front of {segment} | ad social_post | Click-through rate | 0.05 | all',
    'Product page | consideration | Answer {pain} on the {offer} page | landing_page email | Add-to-cart rate | 0.1 | all',
    'Checkout | conversion | Recover abandoned carts and complete checkout | email sms | Checkout completion rate | 0.5 | owned',
    'Repeat | retention | Bring {offer} buyers back for a second order | email sms | Repeat purchase rate | 0.25 | owned',
  ],
  outbound: [
    'Prospect | awareness | Open conversations with {segment} about {pain} | email social_post | Open rate | 0.4 | direct',
    'Conversation | consideration | Turn replies into a qualified conversation | email voice | Reply rate | 0.05 | direct',
    'Meeting | conversion | Book a meeting about {offer} | voice email | Meeting booked rate | 0.3 | direct',
  ],
};

function stageTemplate(row: string): StageTemplate {
  const [name, stage, goal, content, kpi, rate, reach] = row.split(' | ') as [string, ...string[]];
  return {
    name,
    stage: stage as StageTemplate['stage'],
    goal: goal!,
    content: content!.split(' ') as AssetType[],
    kpi: kpi!,
    rate: Number(rate),
    reach: reach as Reach,
  };
}

const TYPE_LABEL: Record<FunnelType, string> = {
  lead_magnet: 'lead magnet',
  webinar: 'webinar',
  demo_request: 'demo request',
  free_trial: 'free trial',
  ecommerce: 'e-commerce',
  outbound: 'outbound',
};

export function offlineFunnel(input: FunnelArchitectInput, stored: WorkspaceContext): FunnelOutput {
  const context = usableContext(stored);
  const funnelType = input.funnelType ?? defaultFunnelType(context);
  const segment = context.segments[0] ?? null;
  const offer = context.offers[0] ?? null;
  const { channels, source } = funnelChannels(context);
  const facts: Record<string, string> = {
    segment: segment?.name ?? 'your audience',
    offer: offer?.name ?? 'your offer',
    pain: segment?.pains[0] ? lowerFirst(withoutEndPunctuation(segment.pains[0])) : 'the problem they need solved',
  };
  const stages: Stage[] = TEMPLATE_ROWS[funnelType].map(stageTemplate).map((template) => {
    const stageChannels = channelsFor(template.reach, channels);
    const channelTypes = ASSET_TYPES.filter((type) => stageChannels.some((channel) => channelFits(channel, type)));
    return {
      name: template.name,
      stage: template.stage,
      goal: truncateAtWord(
        template.goal.replace(/\{(\w+)\}/g, (_, key: string) => facts[key] ?? key),
        1000,
      ),
      channels: stageChannels,
      content_types: unique([...template.content, ...channelTypes]).slice(0, 6),
      segment: segment?.name ?? null,
      offer: offer?.name ?? null,
      kpi: template.kpi,
      target_conversion_rate: template.rate,
    };
  });
  // Retention is about customers already won, so it is left out of the reach-to-customer rate.
  const endToEnd = stages
    .filter((s) => s.stage !== 'retention')
    .reduce((rate, s) => rate * s.target_conversion_rate, 1);
  const owner = offer?.name ?? context.brand?.brand_name ?? context.workspace.name;
  const summary = [
    `A ${TYPE_LABEL[funnelType]} funnel taking ${facts.segment} to ${facts.offer}: ${stages.map((s) => s.name).join(' → ')}.`,
    `Channels (${source}): ${joinNames(channels)}.`,
    `At these target rates about ${formatPercent(endToEnd)} of the people reached become customers; the rates are starting benchmarks to revise with real results.`,
  ];
  return {
    name: truncateAtWord(`${owner} ${TYPE_LABEL[funnelType]} funnel`, 300),
    funnel_type: funnelType,
    summary: truncateAtWord(summary.join(' '), 4000),
    stages,
  };
}

/**
 * The plan's goal decides the default: leads want a lead magnet, meetings a demo. For revenue the
 * funnel's offer decides: software sells through a trial, products through a shop, services
 * (and anything unknown) through a conversation.
 */
function defaultFunnelType({ plan, offers }: WorkspaceContext): FunnelType {
  if (!plan) return 'lead_magnet';
  const goal = classifyGoal(plan.primary_goal);
  if (goal !== 'revenue') return goal === 'meetings' ? 'demo_request' : 'lead_magnet';
  const offer = `${offers[0]?.name ?? ''} ${offers[0]?.offer_type ?? ''}`;
  if (/trial|subscription|saas|software|app\b/i.test(offer)) return 'free_trial';
  return /product|physical|ecommerce|e-commerce|shop|store/i.test(offer) ? 'ecommerce' : 'demo_request';
}

/** The plan is stored as JSON of any shape, so its channel mix is read field by field. */
function funnelChannels({ plan, segments }: WorkspaceContext): { channels: string[]; source: string } {
  const mix = plan?.plan?.channel_mix;
  const planChannels = Array.isArray(mix)
    ? mix.map((entry: unknown) =>
        typeof entry === 'string' ? entry : (entry as { channel?: unknown } | null)?.channel,
      )
    : [];
  const fromPlan = unique(planChannels.filter((c): c is string => typeof c === 'string' && CHANNEL_NAME.test(c)));
  if (fromPlan.length) return { channels: fromPlan.slice(0, 10), source: "from the plan's channel mix" };
  const fromSegments = unique(segments.flatMap((s) => s.channels));
  if (fromSegments.length) return { channels: fromSegments.slice(0, 10), source: 'where the segments are' };
  return { channels: ['email'], source: 'email until a plan sets the mix' };
}

function channelsFor(reach: Reach, channels: string[]): string[] {
  if (reach === 'all') return channels;
  const types: AssetType[] = reach === 'owned' ? ['email', 'sms'] : ['email', 'sms', 'voice'];
  const picked = channels.filter((channel) => types.some((type) => channelFits(channel, type)));
  return picked.length ? picked : channels;
}
