// Planner statistics right after a bulk write. Every path that writes rows in bulk (the demo
// loader, the contacts import, stats batches, and the ad-platform sync to come) calls this at its
// end, in its own transaction: the tables it names that have outgrown their statistics (more than
// twice the size they describe) are analyzed there and then, instead of whenever autovacuum gets
// to them (never, on PGlite). The rule and its reasons: nightshift_analyze_outgrown, migration 0024.
// Any role may call it: requests' nightshift_app included, which may not ANALYZE by itself.
import type { SqlSession } from './port.ts';

/** Analyzes those of `tables` (in the public schema) that have outgrown their statistics; returns them. */
export async function analyzeAfterBulk(s: SqlSession, tables: readonly string[]): Promise<string[]> {
  const [row] = await s.query<{ analyzed: string[] }>(
    'SELECT nightshift_analyze_outgrown($1::text[]) AS analyzed',
    [tables],
    { prepare: 'analyze-after-bulk' },
  );
  return row?.analyzed ?? [];
}
