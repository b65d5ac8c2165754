// The schema holds the metrics src/domain/metrics.ts names: the engine writes and reads the stats
// tables, the CMO loop the variants' counters, and the rules' SQL the performance rows by those
// lists, so a column the lists do not know (or a name they have that the schema lacks) fails here.
import { describe, expect, it } from 'vitest';
import type { SqlSession } from '../src/db/port.ts';
import { DELIVERY_METRICS, FUNNEL_COUNTERS, isMoney, REPORTED_METRICS, RULE_TOTALS } from '../src/domain/metrics.ts';
import { lifetimeColumn, WINDOW_SUFFIX } from '../src/engine/performance.ts';
import { useTestDb } from './support/test-db.ts';

interface Column {
  name: string;
  type: string;
}

/** A table's columns in their order, with their base types (int8, numeric, ...). */
function columnsOf(s: SqlSession, table: string): Promise<Column[]> {
  return s.query<Column>(
    `SELECT a.attname AS name, t.typname AS type
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table],
  );
}

/** The figures among a table's columns: its counts (int8) and amounts (numeric), in column order. */
const figures = (columns: readonly Column[]) => columns.filter((c) => c.type === 'int8' || c.type === 'numeric');

const expectedType = (metric: (typeof REPORTED_METRICS)[number]) => (isMoney(metric) ? 'numeric' : 'int8');

describe('the metrics of src/domain/metrics.ts in the schema', () => {
  const testDb = useTestDb();

  it("are campaign_channel_stats_daily's figures, in its column order, money as numeric, then delivery's counts", async () => {
    const columns = await testDb().session((s) => columnsOf(s, 'campaign_channel_stats_daily'));
    expect(figures(columns)).toEqual([
      ...REPORTED_METRICS.map((name) => ({ name, type: expectedType(name) })),
      ...DELIVERY_METRICS.map((name) => ({ name, type: 'int8' })),
    ]);
  });

  it.each(['campaign_daily_totals', 'campaign_rollups', 'campaign_metrics'])(
    "are %s's figures, as the CMO loop and the engine read them",
    async (table) => {
      const columns = await testDb().session((s) => columnsOf(s, table));
      const byName = (a: Column, b: Column) => a.name.localeCompare(b.name);
      expect(figures(columns).sort(byName)).toEqual(
        REPORTED_METRICS.map((name) => ({ name, type: expectedType(name) })).sort(byName),
      );
    },
  );

  it('are the funnel counters content_variants counts per variant', async () => {
    const columns = await testDb().session((s) => columnsOf(s, 'content_variants'));
    expect(
      figures(columns)
        .map((c) => c.name)
        .sort(),
    ).toEqual([...FUNNEL_COUNTERS].sort());
  });

  it('have the columns the candidate SQL reads in the performance rows: lifetime and per window', async () => {
    const columns = await testDb().transaction(async (s) => {
      await s.exec(
        'CREATE TEMP TABLE perf_columns ON COMMIT DROP AS SELECT * FROM campaign_performance_at(NULL, NULL) WITH NO DATA',
      );
      return columnsOf(s, 'perf_columns');
    });
    const names = new Set(columns.map((c) => c.name));
    const read = RULE_TOTALS.flatMap((metric) => [
      lifetimeColumn(metric),
      ...Object.values(WINDOW_SUFFIX).map((suffix) => `${metric}_${suffix}`),
    ]);
    expect(read.filter((name) => !names.has(name))).toEqual([]);
  });
});
