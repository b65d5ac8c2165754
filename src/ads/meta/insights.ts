// Daily figures per campaign or ad set from the ad account's insights edge:
//   GET /act_{id}/insights?level=campaign&time_range={"since","until"}&time_increment=1
//       &fields=campaign_id,spend,impressions,clicks,actions,action_values
// one row per object and day it delivered (Meta leaves out days without any), days in the ad
// account's time zone, conversions counted by the account's attribution setting and on the day of
// the ad's impression (Meta's default action_report_time).
//
// Synchronous and paged, not Meta's async report (POST …/insights, then poll the report run): a
// day's sync asks for a few days of one account, which the synchronous edge serves in pages. When
// Meta finds a request too heavy it answers "request timed out, try a smaller date range" (code
// 100/1504018 or 2/1504038), classified unavailable; the caller then asks for fewer days. The async
// report is the way for a backfill of months, and is not built here.
import { MetaRejectedError } from './errors.ts';
import type { MetaAnswer, MetaSettings } from './http.ts';
import { type ListOptions, listPages } from './paging.ts';
import { adAccountNode, figure, isRecord, text, type WireRecord } from './wire.ts';

export type InsightsLevel = 'campaign' | 'adset';

export interface InsightsQuery {
  level: InsightsLevel;
  /** First and last day (YYYY-MM-DD, inclusive), in the ad account's time zone. */
  since: string;
  until: string;
  /** The action_type that counts as a conversion, e.g. offsite_conversion.fb_pixel_purchase. */
  conversionAction: string;
}

export interface MetaInsightRow {
  level: InsightsLevel;
  /** The campaign's id at level campaign, the ad set's at level adset. */
  objectId: string;
  campaignId: string;
  /** At level adset. */
  adSetId?: string;
  /** The day (YYYY-MM-DD). */
  date: string;
  /** Decimal string in the account currency, as Meta sends it ("5339.5"). */
  spend: string;
  /** Integer strings. */
  impressions: string;
  clicks: string;
  /** The `actions` value of the conversion action ("0" when there is none); Meta sends a decimal string. */
  conversions: string;
  /** The `action_values` value of the conversion action, a decimal string in the account currency. */
  revenue: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkQuery(query: InsightsQuery): void {
  if (query.level !== 'campaign' && query.level !== 'adset') {
    throw new MetaRejectedError(`an insights level of "${String(query.level)}": campaign or adset`);
  }
  if (!DAY.test(query.since) || !DAY.test(query.until) || query.since > query.until) {
    throw new MetaRejectedError(
      `a time range of ${query.since}..${query.until}: two days, the first not after the last`,
    );
  }
  if (typeof query.conversionAction !== 'string' || !query.conversionAction) {
    throw new MetaRejectedError('insights without a conversion action');
  }
}

/** The value of `actionType` in an actions or action_values list: [{action_type, value}, …]. */
function actionValue(row: WireRecord, field: 'actions' | 'action_values', actionType: string): string {
  const list = row[field];
  if (list === undefined || list === null) return '0';
  if (!Array.isArray(list)) throw new MetaRejectedError(`answered a malformed insights row (${field})`);
  const entry = list.find((item) => isRecord(item) && item.action_type === actionType) as WireRecord | undefined;
  return figure(entry?.value, 'decimal', `insights row (${field} ${actionType})`);
}

function rowParser(query: InsightsQuery) {
  return (row: WireRecord): MetaInsightRow => {
    const date = text(row, 'date_start', 'insights row');
    if (!DAY.test(date) || (row.date_stop !== undefined && row.date_stop !== date)) {
      throw new MetaRejectedError('answered an insights row that is not one day');
    }
    const campaignId = text(row, 'campaign_id', 'insights row');
    const adSetId = query.level === 'adset' ? text(row, 'adset_id', 'insights row') : undefined;
    return {
      level: query.level,
      objectId: adSetId ?? campaignId,
      campaignId,
      ...(adSetId ? { adSetId } : {}),
      date,
      spend: figure(row.spend, 'decimal', 'insights row (spend)'),
      impressions: figure(row.impressions, 'count', 'insights row (impressions)'),
      clicks: figure(row.clicks, 'count', 'insights row (clicks)'),
      conversions: actionValue(row, 'actions', query.conversionAction),
      revenue: actionValue(row, 'action_values', query.conversionAction),
    };
  };
}

/**
 * Every (object, day) row of the range, a page at a time as Meta answers them, following
 * paging.next to the end; the query is checked before the first call.
 */
export function insightPages(
  settings: MetaSettings,
  accountId: string,
  query: InsightsQuery,
  options: ListOptions = {},
): AsyncGenerator<MetaAnswer<MetaInsightRow[]>> {
  checkQuery(query);
  const ids = query.level === 'adset' ? 'campaign_id,adset_id' : 'campaign_id';
  const params = {
    level: query.level,
    time_range: JSON.stringify({ since: query.since, until: query.until }),
    time_increment: '1',
    fields: `${ids},spend,impressions,clicks,actions,action_values`,
  };
  const path = `${adAccountNode(accountId)}/insights`;
  return listPages(settings, path, params, 'insights rows', rowParser(query), options);
}
