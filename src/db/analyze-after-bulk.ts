// Planner statistics right after a bulk write. Every path that writes rows in bulk (the demo
// loader, the contacts import, stats batches, and the ad-platform sync to come) calls this at its
// end, in its own transaction, with how many rows it wrote to each table: a table the write at
// least doubled is analyzed there and then, instead of whenever autovacuum gets to it (never, on
// PGlite). The rule and its reasons: nightshift_analyze_outgrown, migration 0024. Any role may
// call it, requests' nightshift_app included, which may not ANALYZE by itself.
import type { SqlSession } from './port.ts';

/** `written`: rows written per table (public schema; an upper bound will do). Returns the tables analyzed. */
export async function analyzeAfterBulk(s: SqlSession, written: Readonly<Record<string, number>>): Promise<string[]> {
  const [row] = await s.query<{ analyzed: string[] }>(
    'SELECT nightshift_analyze_outgrown($1::text[], $2::bigint[]) AS analyzed',
    [Object.keys(written), Object.values(written)],
    { prepare: 'analyze-after-bulk' },
  );
  return row?.analyzed ?? [];
}
