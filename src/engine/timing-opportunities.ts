// The timing_optimization detector: does a campaign earn much more on some weekdays than on
// others, over the last 28 days?
//
// The database hands over each campaign's 28 daily totals as one string (one group per campaign),
// and the weekday sums are added up here. Grouping by campaign and weekday in SQL makes seven
// times the groups of numeric sums, slow on embedded PGlite; returning arrays instead leaves the
// drivers' array parsers (character by character, in JavaScript) as the costliest step of all.
import type { SqlSession } from '../db/port.ts';
import { unevenConversionEvidence } from '../domain/confidence.ts';
import { DAY_MS } from '../domain/day.ts';
import type { Opportunity } from './opportunities.ts';

export interface TimingThresholds {
  /** A weekday counts only with at least this much spend over the 28 days. */
  minSpendPerWeekday: number;
  minWeekdays: number;
  /** Flagged when the best weekday's ROI is at least this many times the worst's. */
  ratio: number;
}

interface Weekday {
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  dow: number;
  spend: number;
  revenue: number;
  conversions: number;
}

interface DailyRow {
  campaign_id: string;
  title: string;
  /** 'offset:spend:revenue:conversions' per day, comma-separated; offset -27 ... 0 from the as-of day. */
  days: string;
}

const WEEKDAY = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

// Parameters: $1 tenant, $2 as-of day, $3 now. Campaigns whose timing opportunity a person
// dismissed in the last 30 days are left out.
const DAILY_SQL = `
SELECT p.campaign_id, p.title, d.days
  FROM (SELECT t.campaign_id,
               string_agg(concat_ws(':', t.stat_date - $2::date, t.spend, t.revenue, t.conversions), ',') AS days
          FROM campaign_daily_totals t
         WHERE t.tenant_id = $1 AND t.stat_date BETWEEN $2::date - 27 AND $2::date
         GROUP BY t.campaign_id) d
  JOIN cycle_perf p ON p.campaign_id = d.campaign_id
 WHERE p.campaign_id NOT IN (
         SELECT o.campaign_id FROM optimization_opportunities o
          WHERE o.tenant_id = $1 AND o.opportunity_type = 'timing_optimization' AND o.status = 'dismissed'
            AND o.updated_at > $3::timestamptz - interval '30 days')`;

function weekdaySums(row: DailyRow, asOfDow: number, minSpend: number): Weekday[] {
  const sums = new Map<number, Weekday>();
  for (const entry of row.days.split(',')) {
    const [offset, spend, revenue, conversions] = entry.split(':');
    const dow = ((((asOfDow - 1 + Number(offset)) % 7) + 7) % 7) + 1;
    const day = sums.get(dow) ?? { dow, spend: 0, revenue: 0, conversions: 0 };
    day.spend += Number(spend);
    day.revenue += Number(revenue);
    day.conversions += Number(conversions);
    sums.set(dow, day);
  }
  return [...sums.values()].filter((d) => d.spend >= minSpend).sort((a, b) => a.dow - b.dow);
}

function describe(row: DailyRow, days: Weekday[], best: Weekday, worst: Weekday): Opportunity {
  return {
    campaignId: row.campaign_id,
    type: 'timing_optimization',
    severity: 'low',
    description: `Campaign "${row.title}" earns ${(best.revenue / best.spend).toFixed(2)}x on ${WEEKDAY[best.dow]} but ${(worst.revenue / worst.spend).toFixed(2)}x on ${WEEKDAY[worst.dow]}.`,
    suggestedAction: `Shift budget toward ${WEEKDAY[best.dow]} and away from ${WEEKDAY[worst.dow]} (day-parting).`,
    confidence: unevenConversionEvidence(days),
    evidence: { weekdays: days },
  };
}

/** Reads `cycle_perf` (the campaigns judged this cycle); returns the flagged ones, scored. */
export async function detectTimingOpportunities(
  s: SqlSession,
  tenantId: string,
  asOf: string,
  now: Date,
  thresholds: TimingThresholds,
): Promise<Opportunity[]> {
  const rows = await s.query<DailyRow>(DAILY_SQL, [tenantId, asOf, now.toISOString()]);
  const asOfDow = ((new Date(`${asOf}T00:00:00Z`).getTime() / DAY_MS + 3) % 7) + 1; // 1970-01-01 was a Thursday
  const flagged: Opportunity[] = [];
  for (const row of rows) {
    const days = weekdaySums(row, asOfDow, thresholds.minSpendPerWeekday);
    if (days.length < thresholds.minWeekdays) continue;
    const byRoi = [...days].sort((a, b) => b.revenue / b.spend - a.revenue / a.spend);
    const best = byRoi[0]!;
    const worst = byRoi[byRoi.length - 1]!;
    const worstRoi = worst.revenue / worst.spend;
    if (worstRoi > 0 && best.revenue / best.spend >= thresholds.ratio * worstRoi) {
      flagged.push(describe(row, days, best, worst));
    }
  }
  return flagged;
}
