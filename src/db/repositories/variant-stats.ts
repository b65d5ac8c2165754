// Variant counters as the sending platform reports them: cumulative totals that replace what is
// stored (sending the same report twice changes nothing). They do not touch updated_at, which
// tells when the copy or status last changed (stale-content detection reads it).
import type { SqlSession } from '../port.ts';

export const VARIANT_COUNTERS = ['sends', 'opens', 'clicks', 'replies', 'meetings', 'conversions'] as const;

export type VariantStatsRow = { variant_id: string; reply_delays?: Partial<Record<string, number>> } & Record<
  (typeof VARIANT_COUNTERS)[number],
  number
>;

/** Sets each variant's counters (and reply timing, when given); returns the ids it found. */
export async function setVariantStats(
  s: SqlSession,
  tenantId: string,
  rows: readonly VariantStatsRow[],
): Promise<Set<string>> {
  const updated = await s.query<{ id: string }>(
    `UPDATE content_variants v
        SET sends = d.sends, opens = d.opens, clicks = d.clicks, replies = d.replies, meetings = d.meetings,
            conversions = d.conversions, reply_delays = coalesce(d.reply_delays, v.reply_delays),
            stats_updated_at = now()
       FROM unnest($2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::jsonb[])
            AS d (id, sends, opens, clicks, replies, meetings, conversions, reply_delays)
      WHERE v.tenant_id = $1 AND v.id = d.id
     RETURNING v.id`,
    [
      tenantId,
      rows.map((r) => r.variant_id),
      ...VARIANT_COUNTERS.map((counter) => rows.map((r) => r[counter])),
      rows.map((r) => (r.reply_delays === undefined ? null : JSON.stringify(r.reply_delays))),
    ],
  );
  return new Set(updated.map((row) => row.id));
}
