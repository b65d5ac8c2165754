// Draws one campaign's daily per-channel stats from its plan. Paid channels buy impressions and
// clicks; outreach channels send, get opened and replied to. Conversions follow spend at the
// campaign's true ROI, so revenue / spend converges on the archetype's truth as data accumulates.

import { DAY_MS } from '../domain/day.ts';
import type { ReportedMetric } from '../domain/metrics.ts';
import { type CampaignPlan, PAID_CHANNELS } from './campaign-plan.ts';
import type { Random } from './random.ts';

export interface DailyStat extends Record<ReportedMetric, number> {
  statDate: string;
  channel: string;
}

const OUTREACH_SPEND_SHARE = 0.15;

function isPaid(channel: string): boolean {
  return (PAID_CHANNELS as readonly string[]).includes(channel);
}

/** CTR multiplier on a day `daysBeforeEnd` before the last one: falls linearly over the last 7. */
function fatigueFactor(plan: CampaignPlan, daysBeforeEnd: number): number {
  if (plan.fatigueDepth === 0 || daysBeforeEnd >= 7) return 1;
  return 1 - (plan.fatigueDepth * (7 - daysBeforeEnd)) / 7;
}

export function* drawDailyStats(random: Random, plan: CampaignPlan, lastDay: Date): Generator<DailyStat> {
  const shares = plan.channels.map((channel) => (isPaid(channel) ? 1 : OUTREACH_SPEND_SHARE));
  const shareTotal = shares.reduce((a, b) => a + b, 0);
  const dailyBudget = plan.budget / 30;
  for (let back = plan.activeDays - 1; back >= 0; back--) {
    const statDate = new Date(lastDay.getTime() - back * DAY_MS).toISOString().slice(0, 10);
    const ctr = plan.baseCtr * fatigueFactor(plan, back);
    for (let c = 0; c < plan.channels.length; c++) {
      const channel = plan.channels[c]!;
      const spend = Math.round(random.lognormal((dailyBudget * shares[c]!) / shareTotal, 0.3) * 100) / 100;
      let impressions = 0;
      let sends = 0;
      let opens = 0;
      let clicks: number;
      let replies = 0;
      let meetings = 0;
      if (isPaid(channel)) {
        impressions = random.poisson((spend / plan.cpm) * 1000);
        clicks = random.binomial(impressions, ctr);
      } else {
        sends = random.poisson(plan.dailySends);
        opens = random.binomial(sends, plan.openRate);
        clicks = random.binomial(opens, ctr * 4);
        replies = random.binomial(sends, plan.replyRate);
        meetings = random.binomial(replies, 0.3);
      }
      const conversions = random.poisson((plan.trueRoi * spend) / plan.averageOrderValue);
      const revenue =
        conversions === 0
          ? 0
          : Math.round(conversions * plan.averageOrderValue * random.lognormal(1, 0.15) * 100) / 100;
      yield { statDate, channel, impressions, sends, opens, clicks, replies, meetings, conversions, spend, revenue };
    }
  }
}
