// Variant counters as the sending platform reports them: cumulative totals that replace what is
// stored (sending the same report twice changes nothing). They do not touch updated_at, which
// tells when the copy or status last changed (stale-content detection reads it).
// A set-based batch write kept as visible SQL per docs/architecture.md.
import { FUNNEL_COUNTERS, type FunnelCounter } from '../../domain/metrics.ts';
import type { SqlSession } from '../port.ts';

export type VariantStatsRow = { variant_id: string; reply_delays?: Partial<Record<string, number>> } & Record<
  FunnelCounter,
  number
>;

const SET_STATS = `
  UPDATE content_variants v
     SET ${FUNNEL_COUNTERS.map((c) => `${c} = d.${c}`).join(', ')},
         reply_delays = coalesce(d.reply_delays, v.reply_delays), stats_updated_at = now()
    FROM unnest($2::uuid[], ${FUNNEL_COUNTERS.map((_, i) => `$${i + 3}::bigint[]`).join(', ')}, $${FUNNEL_COUNTERS.length + 3}::jsonb[])
         AS d (id, ${FUNNEL_COUNTERS.join(', ')}, reply_delays)
   WHERE v.tenant_id = $1 AND v.id = d.id
  RETURNING v.id`;

/** Sets each variant's counters (and reply timing, when given); returns the ids it found. */
export async function setVariantStats(
  s: SqlSession,
  tenantId: string,
  rows: readonly VariantStatsRow[],
): Promise<Set<string>> {
  const updated = await s.query<{ id: string }>(SET_STATS, [
    tenantId,
    rows.map((r) => r.variant_id),
    ...FUNNEL_COUNTERS.map((counter) => rows.map((r) => r[counter])),
    rows.map((r) => (r.reply_delays === undefined ? null : JSON.stringify(r.reply_delays))),
  ]);
  return new Set(updated.map((row) => row.id));
}
