// What a demo campaign *is* before any numbers are drawn: its archetype (the truth the engine
// should discover), its settings, and the parameters its daily stats are drawn from.

import { DAY_MS } from '../domain/day.ts';
import type { Random } from './random.ts';

export const ARCHETYPES = {
  // True ROI range and share of campaigns.
  losing: { weight: 0.2, roi: [0.2, 0.8] },
  break_even: { weight: 0.2, roi: [0.85, 1.3] },
  steady: { weight: 0.25, roi: [1.5, 2.8] },
  winning: { weight: 0.2, roi: [3.1, 5.0] },
  // Healthy ROI, but CTR falls over the last week (creative fatigue).
  fatiguing: { weight: 0.15, roi: [1.8, 2.8] },
} as const;
export type Archetype = keyof typeof ARCHETYPES;

export const PAID_CHANNELS = ['google_ads', 'meta_ads', 'linkedin'] as const;
export const OUTREACH_CHANNELS = ['email', 'sms'] as const;
const ALL_CHANNELS = [...PAID_CHANNELS, ...OUTREACH_CHANNELS];

const STATUS_WEIGHTS = { active: 82, paused: 5, scheduled: 5, draft: 4, completed: 4 } as const;
type DemoStatus = keyof typeof STATUS_WEIGHTS;

const THEMES = [
  'Spring',
  'Summer',
  'Autumn',
  'Winter',
  'Launch',
  'Evergreen',
  'Q4 Push',
  'Re-engagement',
  'Webinar',
  'Trial',
];
const OFFERS = [
  'Free Audit',
  'Demo Day',
  'Pricing Promo',
  'Case Study',
  'ROI Calculator',
  'Starter Kit',
  'Newsletter',
  'Workshop',
];
const AUDIENCES = [
  'CFOs',
  'Marketing Leads',
  'Founders',
  'IT Managers',
  'Agencies',
  'SMB Owners',
  'Developers',
  'HR Teams',
];

export interface CampaignPlan {
  id: string;
  index: number;
  archetype: Archetype;
  title: string;
  description: string;
  status: DemoStatus;
  goal: 'leads' | 'meetings' | 'revenue';
  budget: number;
  maxBudget: number;
  channels: string[];
  autopilot: boolean;
  /** Days with stats, ending on the last demo day (0 for campaigns not yet started). */
  activeDays: number;
  createdAt: Date;
  startedAt: Date | null;
  scheduledAt: Date | null;
  trueRoi: number;
  baseCtr: number;
  cpm: number;
  averageOrderValue: number;
  dailySends: number;
  openRate: number;
  replyRate: number;
  /** Fraction of CTR lost by the last day (fatiguing campaigns), else 0. */
  fatigueDepth: number;
}

export function planCampaign(random: Random, index: number, days: number, lastDay: Date): CampaignPlan {
  const archetype = random.weighted(
    Object.fromEntries(Object.entries(ARCHETYPES).map(([k, v]) => [k, v.weight])) as Record<Archetype, number>,
  );
  const [low, high] = ARCHETYPES[archetype].roi;
  const status = random.weighted(STATUS_WEIGHTS);
  const started = status === 'active' || status === 'paused' || status === 'completed';
  // Most running campaigns have the full history; some started only 1-3 days ago, so rules that
  // need 48 hours of data have something to wait for.
  const activeDays = started ? (random.uniform() < 0.1 ? Math.min(days, random.int(1, 3)) : days) : 0;
  const firstDay = new Date(lastDay.getTime() - (activeDays - 1) * DAY_MS);
  const budget = Math.round(random.lognormal(1500, 0.6) / 10) * 10;
  const channels: string[] = [];
  while (channels.length < 3) {
    const channel = random.pick(ALL_CHANNELS);
    if (!channels.includes(channel)) channels.push(channel);
  }
  const theme = random.pick(THEMES);
  const offer = random.pick(OFFERS);
  const audience = random.pick(AUDIENCES);
  return {
    id: random.uuid(),
    index,
    archetype,
    title: `${theme} ${offer} for ${audience} #${index + 1}`,
    description: `${offer} campaign aimed at ${audience.toLowerCase()}, ${theme.toLowerCase()} edition.`,
    status,
    goal: random.pick(['leads', 'meetings', 'revenue'] as const),
    budget,
    maxBudget: budget * random.pick([2, 3, 4]),
    channels,
    autopilot: random.uniform() < 0.7,
    activeDays,
    createdAt: new Date((started ? firstDay.getTime() : lastDay.getTime()) - DAY_MS),
    startedAt: started ? firstDay : null,
    scheduledAt:
      status === 'scheduled'
        ? new Date(lastDay.getTime() + (random.uniform() < 0.5 ? -1 : 1) * random.int(1, 48) * 3_600_000)
        : null,
    trueRoi: low + (high - low) * random.uniform(),
    baseCtr: random.lognormal(archetype === 'winning' ? 0.03 : 0.018, 0.4),
    cpm: random.lognormal(30, 0.35),
    averageOrderValue: random.lognormal(150, 0.5),
    dailySends: random.lognormal(80, 0.5),
    openRate: 0.25 + 0.25 * random.uniform(),
    replyRate: random.lognormal(0.025, 0.7),
    fatigueDepth: archetype === 'fatiguing' ? 0.6 + 0.25 * random.uniform() : 0,
  };
}
