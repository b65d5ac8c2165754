// The names of what a campaign is measured by, in one place: the figures a platform reports, and
// the ratios of them that rules test, with the unit each reads in. The stats tables' columns as
// the engine reads and writes them, the rules' whitelist and its SQL, the CMO loop's counters and
// the demo generator take their names from here; test/metric-columns.test.ts holds the schema to
// these lists.

/** What a platform reports per campaign, channel and day, in campaign_channel_stats_daily's column order. */
export const REPORTED_METRICS = [
  'impressions',
  'sends',
  'opens',
  'clicks',
  'replies',
  'meetings',
  'conversions',
  'spend',
  'revenue',
] as const;
export type ReportedMetric = (typeof REPORTED_METRICS)[number];

/**
 * What Nightshift's own delivery counts that no platform reports: in campaign_channel_stats_daily
 * after the reported figures, written by the delivery worker and the event fold (src/delivery/),
 * answered by the stats API and summed into the weekly summary; not in the performance rollups,
 * since no rule tests them (sql/migrations/0037_stats_bounces.sql).
 */
export const DELIVERY_METRICS = ['bounces'] as const;
export type DeliveryMetric = (typeof DELIVERY_METRICS)[number];

/** One campaign's reported figures for one UTC day on one channel, as ingestion takes them. */
export interface StatRow extends Record<ReportedMetric, number> {
  campaign_id: string;
  stat_date: string;
  channel: string;
}

/** A message's funnel: what each content variant counts too (content_variants' counters). */
export const FUNNEL_COUNTERS = [
  'sends',
  'opens',
  'clicks',
  'replies',
  'meetings',
  'conversions',
] as const satisfies readonly ReportedMetric[];
export type FunnelCounter = (typeof FUNNEL_COUNTERS)[number];

/** The reported metrics a rule may test: all but opens, in the order the API lists them. */
export const RULE_TOTALS = [
  'spend',
  'revenue',
  'conversions',
  'clicks',
  'impressions',
  'sends',
  'replies',
  'meetings',
] as const satisfies readonly ReportedMetric[];
export type RuleTotal = (typeof RULE_TOTALS)[number];

/**
 * The ratios of those a rule may test. Their formulas are in the candidate SQL (src/engine/
 * candidates.ts), which matches rules, and in observedValue (condition-confidence.ts), which scores them.
 */
export const RATIO_METRICS = ['roi', 'ctr', 'conversion_rate', 'reply_rate', 'cpa', 'cpc'] as const;
export type RatioMetric = (typeof RATIO_METRICS)[number];

/** What a rule's term may test: its whitelist. */
export const RULE_METRICS = [...RATIO_METRICS, ...RULE_TOTALS] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];

/** How a metric's value reads: an amount of money, a share (a rate), a multiple (ROI), or a count. */
export type MetricUnit = 'money' | 'rate' | 'multiple' | 'count';

const UNITS: Record<ReportedMetric | DeliveryMetric | RatioMetric, MetricUnit> = {
  impressions: 'count',
  sends: 'count',
  opens: 'count',
  clicks: 'count',
  replies: 'count',
  meetings: 'count',
  conversions: 'count',
  spend: 'money',
  revenue: 'money',
  bounces: 'count',
  roi: 'multiple',
  ctr: 'rate',
  conversion_rate: 'rate',
  reply_rate: 'rate',
  cpa: 'money',
  cpc: 'money',
};

export function unitOf(metric: ReportedMetric | DeliveryMetric | RatioMetric): MetricUnit {
  return UNITS[metric];
}

const RATIO_NAMES: Record<RatioMetric, string> = {
  roi: 'ROI',
  ctr: 'CTR',
  conversion_rate: 'conversion rate',
  reply_rate: 'reply rate',
  cpa: 'CPA',
  cpc: 'CPC',
};

/** A metric in words, as the ledger's reasons and the dashboard write it: "conversion rate", "spend". */
export function metricName(metric: ReportedMetric | DeliveryMetric | RatioMetric): string {
  return metric in RATIO_NAMES ? RATIO_NAMES[metric as RatioMetric] : metric;
}

/** The same as a heading or a table's row label: "Conversion rate", "Spend", "ROI". */
export function metricTitle(metric: ReportedMetric | DeliveryMetric | RatioMetric): string {
  const name = metricName(metric);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A reported amount of money is a numeric column; every other reported metric is a count (bigint). */
export function isMoney(metric: ReportedMetric): boolean {
  return UNITS[metric] === 'money';
}

/** One value per metric, e.g. a schema's field or a row's figure for each. */
export function perMetric<M extends string, T>(metrics: readonly M[], value: (metric: M) => T): Record<M, T> {
  return Object.fromEntries(metrics.map((metric) => [metric, value(metric)])) as Record<M, T>;
}
