// Daily per-channel stats: the batch upsert behind ingestion and the read of one campaign's days.
// The upsert is one statement over parallel arrays (unnest), idempotent on campaign + day + channel:
// a row sent again with the same figures changes nothing (the DO UPDATE skips it, so the rollup
// triggers see no change), with new figures it replaces the old ones.
// The batch upsert is set-based and kept as visible SQL per docs/architecture.md; the reads are typed CRUD.
import {
  type DeliveryMetric,
  isMoney,
  REPORTED_METRICS,
  type ReportedMetric,
  type StatRow,
} from '../../domain/metrics.ts';
import { arrayLiteral } from '../array-literal.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/**
 * Rows a stats write adds at most to each table it fills, for analyzeAfterBulk: its own, a daily
 * total per row, and a rollup per campaign (the triggers keep both).
 */
export function statsWritten(rows: number, campaigns: number): Record<string, number> {
  return { campaign_channel_stats_daily: rows, campaign_daily_totals: rows, campaign_rollups: campaigns };
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * A row as the upsert takes it: a StatRow, or one whose money is exact decimal text ("0.30") and
 * whose counts are digit strings, as the ad-platform sync computes them without a float.
 */
export type StatRowIn = Omit<StatRow, ReportedMetric> & Record<ReportedMetric, number | string>;

const arrayType = (metric: ReportedMetric) => (isMoney(metric) ? 'numeric[]' : 'bigint[]');

const UPSERT = `
  WITH written AS (
    INSERT INTO campaign_channel_stats_daily AS s (tenant_id, campaign_id, stat_date, channel, ${REPORTED_METRICS.join(', ')}, updated_at)
    SELECT $1, *, coalesce($${REPORTED_METRICS.length + 5}::timestamptz, now())
      FROM unnest($2::uuid[], $3::date[], $4::text[], ${REPORTED_METRICS.map((c, i) => `$${i + 5}::${arrayType(c)}`).join(', ')})
     -- Key order: concurrent batches lock shared rows in the same order, so they cannot deadlock.
     ORDER BY 2, 3, 4
    ON CONFLICT (tenant_id, campaign_id, stat_date, channel) DO UPDATE
       SET ${REPORTED_METRICS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
     WHERE (${REPORTED_METRICS.map((c) => `s.${c}`).join(', ')}) IS DISTINCT FROM (${REPORTED_METRICS.map((c) => `excluded.${c}`).join(', ')})
    RETURNING (xmax = 0) AS inserted)
  -- Counted here: 10,000 returned rows would cost the client more than the count.
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS written FROM written`;

/**
 * Rows must be free of duplicate keys (one statement cannot update a row twice). `reportedAt` is
 * when the platform reported these figures (default: now); the attribution-lag estimate counts a
 * revision on that day (migration 0025), so a backfill of past reports or a simulator says when.
 */
export async function upsertStats(
  s: SqlSession,
  tenantId: string,
  rows: readonly StatRowIn[],
  reportedAt?: Date,
): Promise<UpsertCounts> {
  const column = (name: keyof StatRowIn) => arrayLiteral(rows.map((r) => r[name]));
  const [counts] = await s.query<{ inserted: number; written: number }>(
    UPSERT,
    [
      tenantId,
      column('campaign_id'),
      column('stat_date'),
      column('channel'),
      ...REPORTED_METRICS.map(column),
      reportedAt?.toISOString() ?? null,
    ],
    { prepare: 'stats.upsert' },
  );
  const { inserted, written } = counts ?? { inserted: 0, written: 0 };
  return { inserted, updated: written - inserted, unchanged: rows.length - written };
}

/** Which of `ids` are campaigns of the tenant. */
export async function existingCampaigns(s: SqlSession, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  const found = await rows(
    s,
    typed
      .selectFrom('campaigns')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', (eb) => eb.fn.any(eb.val(ids))),
  );
  return new Set(found.map((row) => row.id));
}

export async function campaignStats(
  s: SqlSession,
  tenantId: string,
  campaignId: string,
  range: { from: string; to: string; channel?: string },
): Promise<(StatRow & Record<DeliveryMetric, number>)[]> {
  let query = typed
    .selectFrom('campaign_channel_stats_daily')
    // Every reported metric and delivery's (the return type checks the lists). Counts come back as numbers
    // (value-parsers.ts); money is cast to float8 to be one as well.
    .select((eb) => [
      'campaign_id',
      'stat_date',
      'channel',
      'impressions',
      'sends',
      'opens',
      'clicks',
      'replies',
      'meetings',
      'conversions',
      eb.cast<number>('spend', 'float8').as('spend'),
      eb.cast<number>('revenue', 'float8').as('revenue'),
      'bounces',
    ])
    .where('tenant_id', '=', tenantId)
    .where('campaign_id', '=', campaignId)
    .where((eb) => eb.between('stat_date', range.from, range.to));
  if (range.channel !== undefined) query = query.where('channel', '=', range.channel);
  return rows(s, query.orderBy('stat_date').orderBy('channel'));
}
