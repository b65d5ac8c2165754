import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMoney, REPORTED_METRICS } from '../domain/metrics.ts';
import { MAX_STAT_ROWS, statDates, statsBatchSchema } from './stats.ts';
import { acceptWellFormedBatch } from './stats-batch-fast-path.ts';

const limits = { maxRows: MAX_STAT_ROWS, dates: statDates() };
const ids = ['0b6c1b52-5f9e-4a57-9d2b-3c8f1d0e6a11', '7F3A2B10-9C4D-4E5F-8A6B-1C2D3E4F5A6B'];
const dates = ['2026-01-31', '2024-02-29', '2000-01-01', limits.dates.last];
const channels = ['email', 'meta_ads', 'x1'];
const counts = [0, 1, 250, Number.MAX_SAFE_INTEGER];
const moneys = [0, 12, 12.5, 0.01, 19.99, 999_999_999_999.99];

/** Only values the schema accepts. */
const goodRow = fc.record(
  {
    campaign_id: fc.constantFrom(...ids),
    stat_date: fc.constantFrom(...dates),
    channel: fc.constantFrom(...channels),
    ...Object.fromEntries(REPORTED_METRICS.map((c) => [c, fc.constantFrom(...(isMoney(c) ? moneys : counts))])),
  },
  { requiredKeys: ['campaign_id', 'stat_date', 'channel'] },
);

/** Near misses of every rule, by field. */
const money = [-1, 1.005, 0.1 + 0.2, 1e21, 1_000_000_000_000, null, '5'];
const count = [-1, 1.5, Number.MAX_SAFE_INTEGER + 2, null, '5'];
const nearMisses: Record<string, readonly unknown[]> = {
  campaign_id: ['00000000-0000-0000-0000-000000000000', '0b6c1b52-5f9e-4a57-9d2b-3c8f1d0e6a1', 7, null],
  stat_date: ['2026-02-30', '2023-02-29', '1999-12-31', '2999-01-01', '2026-1-31', 20260131],
  channel: ['Email', '', '1email', 'a'.repeat(33), 'e-mail', ['email']],
  ...Object.fromEntries(REPORTED_METRICS.map((c) => [c, isMoney(c) ? money : count])),
  surprise: [1],
};
/** A good row with one field (maybe) changed to a near miss: a single wrong value is the hard case. */
const anyRow = fc
  .tuple(goodRow, fc.constantFrom(...Object.keys(nearMisses)), fc.nat(), fc.boolean())
  .map(([row, field, pick, spoil]) => {
    const misses = nearMisses[field] ?? [];
    return spoil ? { ...row, [field]: misses[pick % misses.length] } : row;
  });

const batch = (row: fc.Arbitrary<unknown>) => fc.array(row, { minLength: 1, maxLength: 6 });
const body = fc.oneof(
  batch(anyRow).map((rows) => ({ rows })),
  batch(goodRow).map((rows) => ({ rows })),
  batch(goodRow).map((rows) => ({ rows, extra: true })),
  fc.constantFrom({ rows: [] }, { rows: 'x' }, null, [], 'rows'),
);

describe('the stats batch fast path', () => {
  it('accepts only what the schema accepts, returning exactly what the schema returns', () => {
    fc.assert(
      fc.property(body, (value) => {
        const untouched = statsBatchSchema.safeParse(structuredClone(value));
        // As the router does: the fast path first, then the schema on the same (maybe filled-in) body.
        const fast = acceptWellFormedBatch(value, limits);
        const parsed = statsBatchSchema.safeParse(value);
        // Defaults the fast path filled into rows change nothing the schema decides or names.
        expect(parsed.success).toBe(untouched.success);
        expect(parsed.error?.issues).toEqual(untouched.error?.issues);
        if (fast === undefined) return;
        expect(parsed.success).toBe(true);
        expect(fast).toEqual(parsed.data);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes every well-formed batch without repeated keys (so ingestion does not fall back to zod)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(goodRow, {
          minLength: 1,
          maxLength: 8,
          selector: (r) => `${r.campaign_id}${r.stat_date}${r.channel}`,
        }),
        (rows) => {
          expect(acceptWellFormedBatch({ rows }, limits)).toBeDefined();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('leaves a repeated key, an oversized batch and an unknown field to the schema', () => {
    const row = { campaign_id: ids[0], stat_date: dates[0], channel: 'email' };
    expect(acceptWellFormedBatch({ rows: [row, { ...row, clicks: 2 }] }, limits)).toBeUndefined();
    expect(acceptWellFormedBatch({ rows: [row, row] }, { ...limits, maxRows: 1 })).toBeUndefined();
    expect(acceptWellFormedBatch({ rows: [{ ...row, cost: 1 }] }, limits)).toBeUndefined();
  });
});
