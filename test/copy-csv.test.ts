import { describe, expect, it } from 'vitest';
import { csvRow } from '../src/demo/csv.ts';
import { useTestDb } from './support/test-db.ts';

describe('COPY of CSV rows (both adapters)', () => {
  const testDb = useTestDb();

  it('keeps NULL apart from empty strings, and survives quotes, commas, newlines and arrays', async () => {
    const tricky = ['plain', '', 'say "hi", then\nleave', 'back\\slash'];
    const rows = await testDb().transaction(async (s) => {
      await s.exec('CREATE TEMP TABLE copy_probe (n int, t text, a text[]) ON COMMIT DROP');
      const copied = await s.copyCsv(
        'copy_probe',
        ['n', 't', 'a'],
        [tricky.map((t, i) => csvRow([i, t, [t, 'x,y']])).join(''), csvRow([9, null, null])],
      );
      expect(copied).toBe(5);
      return s.query<{ n: number; t: string | null; a: string[] | null }>('SELECT n, t, a FROM copy_probe ORDER BY n');
    });
    expect(rows).toEqual([...tricky.map((t, i) => ({ n: i, t, a: [t, 'x,y'] })), { n: 9, t: null, a: null }]);
  });
});
