// The offline optimization agent: rules over each campaign's totals for the period (ROI, CTR, reply
// rate), each recommendation carrying the numbers that triggered it. Priority follows the money at
// stake, so the biggest loss or the biggest proven win comes first.
import { ANALYSIS_PERIODS, type OptimizationAnalystInput } from '../agent-inputs.ts';
import type { OptimizationOutput } from '../agent-outputs.ts';
import type { CampaignPerformance, WorkspaceContext } from '../workspace-context.ts';
import { addDays, formatMoney, formatPercent, truncateAtWord } from './copy-helpers.ts';

type Recommendation = OptimizationOutput['recommendations'][number];
type Priority = Recommendation['priority'];
/** The lowest and the highest priority a rule may get. */
type Bounds = [floor: Priority, cap: Priority];
/** A recommendation and what it is worth, for ordering. */
interface Ranked {
  recommendation: Recommendation;
  stake: number;
}

const MAX_RECOMMENDATIONS = 20;
const PRIORITY_ORDER: Record<Priority, number> = { high: 0, medium: 1, low: 2 };
/** Thresholds match the CMO loop's defaults (src/contract/tenant-settings.ts) for the underperforming alert. */
const MIN_SENDS = 50;
const LOW_REPLY_RATE = 0.01;
const MIN_IMPRESSIONS = 1000;
const LOW_CTR = 0.01;

/**
 * `today` is only needed when no performance was loaded: the period is then the one the request
 * names, ending yesterday, as the context loader computes it.
 */
export function offlineOptimization(
  input: OptimizationAnalystInput,
  context: WorkspaceContext,
  today?: string,
): OptimizationOutput {
  const performance = context.performance;
  const period = performance
    ? { start: performance.start, end: performance.end }
    : fallbackPeriod(input, context, today);
  const currency = context.tenant.currency;
  const campaigns = performance?.campaigns ?? [];
  const active = campaigns.filter((c) => c.spend > 0 || c.sends > 0 || c.impressions > 0);
  if (active.length === 0) return noData(period, campaigns.length, context);

  const totalSpend = active.reduce((sum, c) => sum + c.spend, 0);
  const totalRevenue = active.reduce((sum, c) => sum + c.revenue, 0);
  const money = (amount: number) => formatMoney(Math.round(amount * 100) / 100, currency);
  const ranked = [
    ...campaigns.flatMap((campaign) => rules(campaign, totalSpend, money)),
    ...shiftBudget(active, totalSpend, money),
    ...campaigns.filter((c) => !active.includes(c)).map(idle),
  ];
  ranked.sort(
    (a, b) =>
      PRIORITY_ORDER[a.recommendation.priority] - PRIORITY_ORDER[b.recommendation.priority] ||
      b.stake - a.stake ||
      (a.recommendation.campaign_id ?? '').localeCompare(b.recommendation.campaign_id ?? '') ||
      a.recommendation.category.localeCompare(b.recommendation.category),
  );
  const shown = ranked.slice(0, MAX_RECOMMENDATIONS).map(({ recommendation: r }) => ({
    ...r,
    // Campaign titles are user text of any length; the schema's limits hold regardless.
    title: truncateAtWord(r.title, 300),
    rationale: truncateAtWord(r.rationale, 2000),
    expected_impact: truncateAtWord(r.expected_impact, 1000),
    action: truncateAtWord(r.action, 1000),
  }));
  const roiText = totalSpend > 0 ? ` (ROI ${ratio(totalRevenue / totalSpend)})` : '';
  const listed = ranked.length > shown.length ? `${shown.length} of ${ranked.length}` : `${shown.length}`;
  const summary = `From ${period.start} to ${period.end}, ${active.length} of ${campaigns.length} campaigns ran, spending ${money(totalSpend)} and returning ${money(totalRevenue)}${roiText}. ${listed} recommendations, highest priority and largest amount at stake first.`;
  return { period, summary: truncateAtWord(summary, 4000), recommendations: shown };
}

function fallbackPeriod(input: OptimizationAnalystInput, context: WorkspaceContext, today?: string) {
  if (today) return { start: addDays(today, -ANALYSIS_PERIODS[input.period]), end: addDays(today, -1) };
  // Without a date the plan's dates are the only real ones; the epoch marks "no period" otherwise.
  const start = context.plan?.start_date ?? '1970-01-01';
  return { start, end: context.plan?.end_date ?? start };
}

function noData(period: OptimizationOutput['period'], campaignCount: number, context: WorkspaceContext) {
  const offer = context.offers[0]?.name;
  const what = campaignCount
    ? `${campaignCount === 1 ? '1 campaign' : `${campaignCount} campaigns`} recorded no spend, sends or impressions`
    : 'no campaign has run';
  return {
    period,
    summary: `No performance data from ${period.start} to ${period.end}: ${what}, so there is nothing to optimize yet.`,
    recommendations: [
      {
        title: 'Launch a campaign and connect its channel stats',
        category: 'funnel' as const,
        priority: 'medium' as const,
        campaign_id: null,
        rationale: `Recommendations need results; ${what} in this period.`,
        expected_impact: 'The next analysis can compare ROI, click-through and reply rates per campaign.',
        action: `Activate a campaign${offer ? ` for ${offer}` : ''} and make sure its daily stats are ingested.`,
      },
    ],
  };
}

/**
 * High when a quarter or more of the period's spend is at stake, medium from a twentieth, kept
 * within [floor, cap]: a measured loss is never low, a hunch about copy or targeting never high.
 */
function priorityFor(stake: number, totalSpend: number, [floor, cap]: Bounds): Priority {
  const byStake: Priority =
    stake > 0 && stake >= 0.25 * totalSpend ? 'high' : stake > 0 && stake >= 0.05 * totalSpend ? 'medium' : 'low';
  const rank = Math.min(Math.max(PRIORITY_ORDER[byStake], PRIORITY_ORDER[cap]), PRIORITY_ORDER[floor]);
  return (['high', 'medium', 'low'] as const)[rank]!;
}

const ratio = (value: number) => value.toFixed(2);

function rules(c: CampaignPerformance, totalSpend: number, money: (amount: number) => string): Ranked[] {
  const found: Ranked[] = [];
  const add = (stake: number, bounds: Bounds, fields: Omit<Recommendation, 'priority' | 'campaign_id'>) =>
    found.push({
      stake,
      recommendation: { ...fields, priority: priorityFor(stake, totalSpend, bounds), campaign_id: c.id },
    });
  const roi = c.spend > 0 ? c.revenue / c.spend : null;
  const spent = `${c.title} spent ${money(c.spend)} and returned ${money(c.revenue)} (ROI ${roi === null ? '-' : ratio(roi)})`;
  const perResult =
    c.meetings > 0
      ? `, ${money(c.spend / c.meetings)} per meeting`
      : c.conversions > 0
        ? `, ${money(c.spend / c.conversions)} per conversion`
        : '';
  if (roi !== null && roi < 1) {
    const loss = c.spend - c.revenue;
    const basis = c.budget > 0 ? c.budget : c.spend;
    add(loss, ['medium', 'high'], {
      title: `Cut the budget of ${c.title}`,
      category: 'budget',
      rationale: `${spent}${perResult}: it lost ${money(loss)} this period.`,
      expected_impact: `Halving it saves about ${money(loss / 2)} a period unless returns improve.`,
      action: `Lower the budget from ${money(basis)} to ${money(basis / 2)} and fix targeting or copy before spending more.`,
    });
  }
  if (roi !== null && roi > 2) {
    const gain = c.revenue - c.spend;
    const basis = c.budget > 0 ? c.budget : c.spend;
    add(gain, ['low', 'high'], {
      title: `Increase the budget of ${c.title}`,
      category: 'budget',
      rationale: `${spent}${perResult}: a profit of ${money(gain)}.`,
      expected_impact: `At the same ROI, 25% more budget returns about ${money(c.spend * 0.25 * roi)} more revenue.`,
      action: `Raise the budget from ${money(basis)} to ${money(basis * 1.25)} and watch ROI weekly for diminishing returns.`,
    });
  }
  if (c.sends >= MIN_SENDS && c.replies / c.sends < LOW_REPLY_RATE) {
    // Better copy wins back part of the spend, not all of it.
    add(c.spend / 2, ['low', 'medium'], {
      title: `Rewrite the copy of ${c.title}`,
      category: 'content',
      rationale: `${c.replies} replies from ${c.sends} sends (${formatPercent(c.replies / c.sends)}), below the ${formatPercent(LOW_REPLY_RATE)} floor.`,
      expected_impact: `Reaching ${formatPercent(LOW_REPLY_RATE)} would mean about ${Math.ceil(c.sends * LOW_REPLY_RATE) - c.replies} more replies on the same sends.`,
      action: 'Test new subject lines and openers that lead with a specific pain, and shorten the first message.',
    });
  }
  if (c.impressions >= MIN_IMPRESSIONS && c.clicks / c.impressions < LOW_CTR) {
    add(c.spend / 2, ['low', 'medium'], {
      title: `Tighten the targeting of ${c.title}`,
      category: 'targeting',
      rationale: `${c.clicks} clicks from ${c.impressions} impressions (CTR ${formatPercent(c.clicks / c.impressions)}), under ${formatPercent(LOW_CTR)}.`,
      expected_impact: 'A narrower audience raises CTR and cuts the cost of each click.',
      action:
        'Narrow the audience to the ICP segment the campaign names, or move its spend to a channel where the segment engages.',
    });
  }
  if (c.replies > 0 && c.meetings === 0 && c.goal === 'meetings') {
    add(c.spend / 2, ['low', 'medium'], {
      title: `Follow up faster on ${c.title}`,
      category: 'timing',
      rationale: `${c.replies} replies but no meetings booked this period.`,
      expected_impact: 'Replies answered the same day turn into meetings more often than replies left for days.',
      action:
        'Reply to every positive response the same day with a booking link, and shorten the delay of the follow-up step.',
    });
  }
  return found;
}

/** The clearest channel move: from the worst money-loser to the best earner, both measured this period. */
function shiftBudget(active: CampaignPerformance[], totalSpend: number, money: (amount: number) => string): Ranked[] {
  const withRoi = active.filter((c) => c.spend > 0).map((c) => ({ c, roi: c.revenue / c.spend }));
  const worst = withRoi.reduce<(typeof withRoi)[number] | null>((w, x) => (!w || x.roi < w.roi ? x : w), null);
  const best = withRoi.reduce<(typeof withRoi)[number] | null>((b, x) => (!b || x.roi > b.roi ? x : b), null);
  if (!worst || !best || worst.roi >= 1 || best.roi <= 2) return [];
  const moved = Math.round((worst.c.budget > 0 ? worst.c.budget : worst.c.spend) * 50) / 100;
  const stake = moved * (best.roi - worst.roi);
  return [
    {
      stake,
      recommendation: {
        title: `Move budget from ${worst.c.title} to ${best.c.title}`,
        category: 'channel',
        priority: priorityFor(stake, totalSpend, ['medium', 'high']),
        campaign_id: worst.c.id,
        rationale: `Every ${money(1)} spent returned ${money(worst.roi)} in ${worst.c.title} and ${money(best.roi)} in ${best.c.title}.`,
        expected_impact: `Moving ${money(moved)} at these rates earns about ${money(stake)} more revenue.`,
        action: `Shift ${money(moved)} from the budget of ${worst.c.title} to ${best.c.title}, its channels and its audience.`,
      },
    },
  ];
}

function idle(c: CampaignPerformance): Ranked {
  return {
    stake: 0,
    recommendation: {
      title: `Check ${c.title}: no activity recorded`,
      category: 'funnel',
      priority: 'low',
      campaign_id: c.id,
      rationale: `${c.title} is ${c.status} but recorded no spend, sends or impressions this period.`,
      expected_impact: 'Either the campaign starts producing results or it stops taking up a slot.',
      action: 'Verify that the campaign is launched and its channel stats are connected, or pause it.',
    },
  };
}
