// Daily stats per campaign over a date range, read as they stream: a batch of rows at a time, so
// a sync can store each batch before the next arrives. Days are the account's time zone's days.
import { dateOf } from './gaql.ts';
import { type GoogleAdsRow, searchStream } from './search.ts';
import type { CallOptions, GoogleAdsSession } from './session.ts';
import { countOf, decimalOf, idOf, int64Of, textOf } from './values.ts';

export interface GoogleDailyStat {
  campaignId: string;
  /** YYYY-MM-DD */
  date: string;
  /** int64 micros of the account's currency, exact. */
  costMicros: bigint;
  impressions: number;
  clicks: number;
  /** A double in the API (fractional under data-driven attribution), as decimal text: see values.ts. */
  conversions: string;
  /** In currency units (not micros), a double in the API, as decimal text: see values.ts. */
  conversionsValue: string;
}

export interface DateRange {
  /** Inclusive, YYYY-MM-DD. */
  from: string;
  to: string;
}

export function dailyStatsQuery(range: DateRange): string {
  const from = dateOf('first', range.from);
  const to = dateOf('last', range.to);
  return (
    'SELECT campaign.id, segments.date, metrics.cost_micros, metrics.impressions, metrics.clicks, ' +
    'metrics.conversions, metrics.conversions_value FROM campaign ' +
    `WHERE segments.date BETWEEN '${from}' AND '${to}'`
  );
}

function statOf(row: GoogleAdsRow): GoogleDailyStat {
  const metrics = row.metrics ?? {};
  return {
    campaignId: idOf(row.campaign?.id, 'campaign.id'),
    date: textOf(row.segments?.date, 'segments.date'),
    costMicros: int64Of(metrics.costMicros, 'metrics.cost_micros', 0n),
    impressions: countOf(metrics.impressions, 'metrics.impressions'),
    clicks: countOf(metrics.clicks, 'metrics.clicks'),
    conversions: decimalOf(metrics.conversions, 'metrics.conversions'),
    conversionsValue: decimalOf(metrics.conversionsValue, 'metrics.conversions_value'),
  };
}

/** The rows of the range, a batch at a time. One call: a failure midway fails the read (start it again). */
export async function* streamDailyStats(
  session: GoogleAdsSession,
  range: DateRange,
  options: CallOptions = {},
): AsyncGenerator<GoogleDailyStat[]> {
  for await (const batch of searchStream(session, dailyStatsQuery(range), options)) yield batch.map(statOf);
}

/** Every row of the range at once. */
export async function dailyStats(
  session: GoogleAdsSession,
  range: DateRange,
  options: CallOptions = {},
): Promise<GoogleDailyStat[]> {
  const stats: GoogleDailyStat[] = [];
  for await (const batch of streamDailyStats(session, range, options)) for (const stat of batch) stats.push(stat);
  return stats;
}
