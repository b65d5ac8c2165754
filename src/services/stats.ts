// Stats ingestion and reading, for /api/stats and /api/content/variant-stats: a batch naming any
// campaign (or variant) that is not the tenant's is refused whole, each such row named, and nothing
// of it is written.

import type { FieldError } from '../contract/problem.ts';
import { analyzeAfterBulk } from '../db/analyze-after-bulk.ts';
import type { Database } from '../db/port.ts';
import * as stats from '../db/repositories/stats.ts';
import { setVariantStats, type VariantStatsRow } from '../db/repositories/variant-stats.ts';
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type { StatRow } from '../domain/metrics.ts';

/** The rows naming what the tenant does not have, as `rows.<i>.<field>` errors. */
function unknownRows<Row>(rows: readonly Row[], isKnown: (row: Row) => boolean, field: string, what: string) {
  return rows.flatMap((row, i): FieldError[] =>
    isKnown(row) ? [] : [{ field: `rows.${i}.${field}`, in: 'body', message: `is not a ${what} of this tenant` }],
  );
}

/** Upserts the daily rows in one statement; a batch that at least doubles the tables has them analyzed. */
export function ingestStats(db: Database, tenantId: string, rows: StatRow[]) {
  return db.transaction(async (s) => {
    const ids = [...new Set(rows.map((row) => row.campaign_id))];
    const known = await stats.existingCampaigns(s, tenantId, ids);
    const unknown = unknownRows(rows, (row) => known.has(row.campaign_id), 'campaign_id', 'campaign');
    if (unknown.length > 0) throw new InvalidInputError(unknown);
    const upserted = await stats.upsertStats(s, tenantId, rows);
    await analyzeAfterBulk(s, stats.statsWritten(upserted.inserted + upserted.updated, ids.length));
    return upserted;
  });
}

export function campaignStats(
  db: Database,
  tenantId: string,
  campaignId: string,
  range: { from: string; to: string; channel?: string },
) {
  return db.session(async (s) => {
    const known = await stats.existingCampaigns(s, tenantId, [campaignId]);
    if (!known.has(campaignId)) throw new NotFoundError(`no campaign ${campaignId}`);
    return stats.campaignStats(s, tenantId, campaignId, range);
  });
}

/** Replaces the variants' counters and reply timing. */
export function recordVariantStats(db: Database, tenantId: string, rows: VariantStatsRow[]) {
  return db.transaction(async (s) => {
    const found = await setVariantStats(s, tenantId, rows);
    const unknown = unknownRows(rows, (row) => found.has(row.variant_id), 'variant_id', 'variant');
    // Thrown inside the transaction: the rows that were found are rolled back with it.
    if (unknown.length > 0) throw new InvalidInputError(unknown);
  });
}
