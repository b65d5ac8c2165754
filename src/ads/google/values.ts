// Values as the REST API writes them. int64 fields (ids, micros, counts) arrive as JSON strings,
// so they are read as bigint and never pass through a float: a cost of 2^53 micros and more
// (9 billion in currency units) stays exact. Fields holding zero may be left out of a row, and
// read as zero.
//
// conversions and conversions_value are doubles in the API itself, written as JSON numbers.
// JSON.parse yields the very double Google holds, and String() of a double is the shortest
// decimal that reads back to that same double, so the decimal text returned here loses nothing
// the API had. What a caller must not do is multiply or add those values as floats: converting
// the decimal text to minor units is done by string arithmetic, when the value is stored.
import { GoogleAdsUnavailableError } from './errors.ts';

const INT64 = /^-?\d{1,19}$/;

/** An int64 field; `fallback` when the row leaves it out. */
export function int64Of(value: unknown, what: string, fallback?: bigint): bigint {
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new GoogleAdsUnavailableError(`answered a row without ${what}`);
  }
  if (typeof value === 'string' && INT64.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new GoogleAdsUnavailableError(`answered ${what} that is not an integer: ${JSON.stringify(value)}`);
}

/** An int64 id, kept as its decimal text. */
export function idOf(value: unknown, what: string): string {
  if (typeof value === 'string' && /^\d{1,19}$/.test(value)) return value;
  return int64Of(value, what).toString();
}

/** An int64 count (impressions, clicks): a safe integer, or refused. */
export function countOf(value: unknown, what: string): number {
  // Up to 15 digits is below 2^53: no need to go through bigint.
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  const count = int64Of(value, what, 0n);
  if (count > BigInt(Number.MAX_SAFE_INTEGER) || count < 0n) {
    throw new GoogleAdsUnavailableError(`answered ${what} out of range: ${count}`);
  }
  return Number(count);
}

/** A double as plain decimal text (no exponent); "0" when left out. */
export function decimalOf(value: unknown, what: string): string {
  if (value === undefined || value === null) return '0';
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new GoogleAdsUnavailableError(`answered ${what} that is not a number: ${JSON.stringify(value)}`);
  }
  return plainDecimal(String(number));
}

/** 1.5e-7 → 0.00000015, 1e+21 → 1000000000000000000000. */
export function plainDecimal(text: string): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = '', exponentText] = match;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function textOf(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  throw new GoogleAdsUnavailableError(`answered a row without ${what}`);
}
