import { describe, expect, it } from 'vitest';
import { arrayLiteral } from '../src/db/array-literal.ts';
import { useTestDb } from './support/test-db.ts';

describe('array literals bound as one parameter (both adapters)', () => {
  const testDb = useTestDb();
  const roundTrip = <T>(sql: string, literal: string) =>
    testDb().session(async (s) => (await s.query<{ a: T[] }>(sql, [literal]))[0]?.a);

  it('gives back every string as it was, quotes, braces, commas, spaces and NULL included', async () => {
    const tricky = [
      'plain',
      'a,b',
      '{x}',
      'say "hi"',
      'back\\slash',
      ' padded ',
      '',
      'NULL',
      'null',
      'ümlaut',
      'e-mail_1.2:3',
    ];
    expect(await roundTrip<string>('SELECT $1::text[] AS a', arrayLiteral(tricky))).toEqual(tricky);
  });

  it('gives back uuids, dates and numbers as the typed columns read them', async () => {
    const id = crypto.randomUUID();
    expect(await roundTrip<string>('SELECT $1::uuid[]::text[] AS a', arrayLiteral([id]))).toEqual([id]);
    expect(await roundTrip<string>('SELECT $1::date[]::text[] AS a', arrayLiteral(['2026-02-28']))).toEqual([
      '2026-02-28',
    ]);
    const figures = [0, 7, Number.MAX_SAFE_INTEGER, 0.01, 999_999_999_999.99];
    expect(await roundTrip<string>('SELECT $1::numeric[]::text[] AS a', arrayLiteral(figures))).toEqual([
      '0',
      '7',
      '9007199254740991',
      '0.01',
      '999999999999.99',
    ]);
  });

  it('refuses a number Postgres could not read back', () => {
    expect(() => arrayLiteral([1, Number.NaN])).toThrow(/not a finite number: NaN/);
    expect(() => arrayLiteral([Number.POSITIVE_INFINITY])).toThrow(/not a finite number/);
  });
});
