// Exact money for the ad platforms. Amounts never pass through a JS number: a float cannot hold
// 0.1, and a number loses whole units past 2^53. Platforms send decimal strings (Meta's insights
// `spend`, "5339.5"), integer strings in minor units (Meta's budgets, "5000" = 50.00 USD) or
// micros (Google, 1 unit = 1,000,000 micros); these helpers move between them with bigint.
//
// Every amount an ad platform reports or takes is zero or more, so a negative amount is refused
// here like any other malformed one: with a MoneyError, never a guess.

/** A malformed amount, an unknown currency, or an amount that cannot be converted without loss. */
export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** Plain digits, an optional fraction: "0", "12", "5339.5", "0.0001". No sign, exponent, spaces or separators. */
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const INTEGER = /^\d+$/;
/** Longer than any amount a platform sends; refuses absurd input before it costs anything. */
const MAX_DIGITS = 60;
const MICROS_EXPONENT = 6;

function checkExponent(exponent: number, max = 18): void {
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > max) {
    throw new MoneyError(`a currency exponent is an integer from 0 to ${max}, not ${exponent}`);
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
}

/** A non-negative integer given as a bigint or a string of digits. */
function wholeAmount(value: bigint | string, what: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new MoneyError(`${what} cannot be negative: ${value}`);
    return value;
  }
  if (typeof value !== 'string' || !INTEGER.test(value) || value.length > MAX_DIGITS) {
    throw new MoneyError(`${what} must be a string of digits, not ${describe(value)}`);
  }
  return BigInt(value);
}

/** `numerator / denominator` rounded half to even (banker's rounding); both non-negative. */
function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = (numerator % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

export type Rounding = 'exact' | 'half-even';

/**
 * A decimal string ("5339.5") as an integer count of minor units for a currency of `exponent`
 * decimals (533950n for exponent 2). `exact` (the default) refuses a value with non-zero digits
 * past the exponent ("1.005" in cents); `half-even` rounds them to the nearest minor unit, a tie
 * to the even one ("1.005" → 100n, "1.015" → 102n).
 */
export function decimalToMinor(decimal: string, exponent: number, rounding: Rounding = 'exact'): bigint {
  checkExponent(exponent);
  const match = typeof decimal === 'string' && decimal.length <= MAX_DIGITS ? DECIMAL.exec(decimal) : null;
  if (!match) {
    throw new MoneyError(`an amount must be a non-negative decimal like "12.34", not ${describe(decimal)}`);
  }
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const minor = BigInt(whole + kept);
  const dropped = fraction.slice(exponent);
  if (!/[1-9]/.test(dropped)) return minor;
  if (rounding === 'exact') {
    throw new MoneyError(`${decimal} has more than ${exponent} decimals: it is not a whole number of minor units`);
  }
  const scale = 10n ** BigInt(dropped.length);
  return divideHalfEven(minor * scale + BigInt(dropped), scale);
}

/** Minor units (bigint or digit string) as a decimal string with exactly `exponent` decimals: 533950n, 2 → "5339.50". */
export function minorToDecimal(minor: bigint | string, exponent: number): string {
  checkExponent(exponent);
  const digits = wholeAmount(minor, 'an amount in minor units').toString();
  if (exponent === 0) return digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

export interface MinorFromMicros {
  /** The amount rounded half to even to whole minor units. */
  minor: bigint;
  /**
   * What rounding left behind, in micros: `micros - minor × micros per minor unit`. Negative when
   * rounding went up. Summing the remainders of many amounts says how far their rounded total drifts.
   */
  remainderMicros: bigint;
}

/**
 * Micros (Google Ads' cost_micros, budgets' amount_micros: 1 unit = 1,000,000) as minor units of a
 * currency of `exponent` decimals (at most 6), rounded half to even, with the remainder.
 * 1_234_567 micros of USD → 123n cents, remainder 4_567; of JPY (exponent 0) → 1n, remainder 234_567.
 */
export function microsToMinor(micros: bigint | string, exponent: number): MinorFromMicros {
  checkExponent(exponent, MICROS_EXPONENT);
  const amount = wholeAmount(micros, 'an amount in micros');
  const perMinor = 10n ** BigInt(MICROS_EXPONENT - exponent);
  const minor = divideHalfEven(amount, perMinor);
  return { minor, remainderMicros: amount - minor * perMinor };
}

/**
 * Currencies Meta counts in whole units: its "offset" is 1, so a budget of "5000" in JPY is ¥5000,
 * where in USD (offset 100) it is $50.00. Source: Meta Marketing API, "Currency codes"
 * (developers.facebook.com/docs/marketing-api/currencies), read 2026: every other currency of that
 * table has offset 100. Meta differs from ISO 4217 here: ISO gives HUF, COP, CRC, IDR and TWD two
 * decimals (Meta none), and BHD and JOD three (Meta two).
 */
const META_OFFSET_1 = new Set(['CLP', 'COP', 'CRC', 'HUF', 'IDR', 'ISK', 'JPY', 'KRW', 'PYG', 'TWD', 'VND']);

/** Same source: the table's currencies with offset 100 (legacy codes and Meta's own FBZ included). */
const META_OFFSET_100 = new Set([
  'AED',
  'ARS',
  'AUD',
  'BDT',
  'BGN',
  'BHD',
  'BOB',
  'BRL',
  'CAD',
  'CHF',
  'CNY',
  'CZK',
  'DKK',
  'DZD',
  'EGP',
  'EUR',
  'FBZ',
  'GBP',
  'GTQ',
  'HKD',
  'HNL',
  'HRK',
  'ILS',
  'INR',
  'JOD',
  'KES',
  'LTL',
  'LVL',
  'MOP',
  'MXN',
  'MYR',
  'NGN',
  'NIO',
  'NOK',
  'NZD',
  'PEN',
  'PHP',
  'PKR',
  'PLN',
  'QAR',
  'RON',
  'RSD',
  'RUB',
  'SAR',
  'SEK',
  'SGD',
  'SKK',
  'THB',
  'TRY',
  'UAH',
  'USD',
  'UYU',
  'VEF',
  'VES',
  'ZAR',
]);

/**
 * The number of decimals Meta's minor units have for an ad account's currency: 0 for the offset-1
 * currencies (JPY, KRW, CLP, ISK, TWD…), 2 for the rest. A currency outside Meta's table is
 * refused rather than guessed, since a wrong guess scales every budget by 100.
 */
export function metaCurrencyExponent(currency: string): 0 | 2 {
  const code = typeof currency === 'string' ? currency.toUpperCase() : '';
  if (META_OFFSET_1.has(code)) return 0;
  if (META_OFFSET_100.has(code)) return 2;
  throw new MoneyError(`${describe(currency)} is not a currency of Meta's ad accounts`);
}
