// Exact money between the ad platforms' forms: decimal strings, integer minor units, micros. No
// amount goes through a float, so what a float would round (0.1 + 0.2, cents past 2^53) comes out
// exact, and malformed or negative input is refused rather than guessed at.
import { describe, expect, it } from 'vitest';
import { decimalToMinor, MoneyError, metaCurrencyExponent, microsToMinor, minorToDecimal } from '../src/ads/money.ts';

describe('decimal strings to minor units', () => {
  it('reads Meta amounts exactly, with or without trailing zeros', () => {
    expect(decimalToMinor('5339.5', 2)).toBe(533950n);
    expect(decimalToMinor('5339.50', 2)).toBe(533950n);
    expect(decimalToMinor('12', 2)).toBe(1200n);
    expect(decimalToMinor('0.07', 2)).toBe(7n);
    expect(decimalToMinor('0', 2)).toBe(0n);
    expect(decimalToMinor('1500', 0)).toBe(1500n);
    expect(decimalToMinor('007.10', 2)).toBe(710n);
    expect(decimalToMinor('1.500000', 2)).toBe(150n);
  });

  it('adds 0.1 and 0.2 to exactly 0.3, where floats do not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const sum = decimalToMinor('0.1', 2) + decimalToMinor('0.2', 2);
    expect(sum).toBe(decimalToMinor('0.3', 2));
    expect(minorToDecimal(sum, 2)).toBe('0.30');
    // Ten cents ten times is a dollar, not 0.9999999999999999.
    const tenDimes = Array.from({ length: 10 }, () => decimalToMinor('0.1', 2)).reduce((a, b) => a + b, 0n);
    expect(minorToDecimal(tenDimes, 2)).toBe('1.00');
    expect(minorToDecimal(decimalToMinor('1.1', 2) * 3n, 2)).toBe('3.30');
  });

  it('keeps values beyond 2^53 whole', () => {
    const beyond = '90071992547409.93'; // 9007199254740993 cents = 2^53 + 1
    expect(Number('9007199254740993')).toBe(2 ** 53); // a number cannot hold it
    expect(decimalToMinor(beyond, 2)).toBe(9007199254740993n);
    expect(minorToDecimal(9007199254740993n, 2)).toBe(beyond);
    const huge = '123456789012345678901234567890.12';
    expect(minorToDecimal(decimalToMinor(huge, 2), 2)).toBe(huge);
    expect(decimalToMinor(huge, 2) + 1n).toBe(12345678901234567890123456789013n);
  });

  it('refuses digits past the exponent unless asked to round, then rounds half to even', () => {
    expect(() => decimalToMinor('1.005', 2)).toThrow(MoneyError);
    expect(() => decimalToMinor('12.5', 0)).toThrow(/more than 0 decimals/);
    expect(decimalToMinor('1.005', 2, 'half-even')).toBe(100n);
    expect(decimalToMinor('1.015', 2, 'half-even')).toBe(102n);
    expect(decimalToMinor('1.0051', 2, 'half-even')).toBe(101n);
    expect(decimalToMinor('1.0049999', 2, 'half-even')).toBe(100n);
    expect(decimalToMinor('2.5', 0, 'half-even')).toBe(2n);
    expect(decimalToMinor('3.5', 0, 'half-even')).toBe(4n);
    expect(decimalToMinor('0.999', 2, 'half-even')).toBe(100n);
    expect(decimalToMinor('123.456789', 2, 'half-even')).toBe(12346n);
  });

  it('refuses negative and malformed amounts', () => {
    for (const bad of [
      '-1',
      '-0.01',
      '+1',
      '1e3',
      '1E-2',
      '',
      ' 1',
      '1 ',
      '1,000',
      '1.',
      '.5',
      'abc',
      'NaN',
      'Infinity',
    ]) {
      expect(() => decimalToMinor(bad, 2), bad).toThrow(MoneyError);
    }
    expect(() => decimalToMinor('1'.repeat(61), 2)).toThrow(MoneyError);
    expect(() => decimalToMinor(12 as unknown as string, 2)).toThrow(MoneyError);
    expect(() => decimalToMinor('1', -1)).toThrow(/exponent/);
    expect(() => decimalToMinor('1', 1.5)).toThrow(/exponent/);
  });
});

describe('minor units to decimal strings', () => {
  it('writes exactly `exponent` decimals', () => {
    expect(minorToDecimal(533950n, 2)).toBe('5339.50');
    expect(minorToDecimal('5000', 2)).toBe('50.00');
    expect(minorToDecimal(7n, 2)).toBe('0.07');
    expect(minorToDecimal(0n, 2)).toBe('0.00');
    expect(minorToDecimal('5000', 0)).toBe('5000');
    expect(minorToDecimal(1n, 3)).toBe('0.001');
  });

  it('refuses negative and malformed minor units', () => {
    expect(() => minorToDecimal(-1n, 2)).toThrow(/negative/);
    for (const bad of ['-5', '5.0', '', '1e3', ' 5']) expect(() => minorToDecimal(bad, 2), bad).toThrow(MoneyError);
    expect(() => minorToDecimal(5 as unknown as bigint, 2)).toThrow(MoneyError);
  });

  it('round-trips with decimalToMinor', () => {
    for (const text of ['0.00', '0.01', '19.99', '100.10', '99999999999999999.99']) {
      expect(minorToDecimal(decimalToMinor(text, 2), 2)).toBe(text);
    }
  });
});

describe('micros to minor units', () => {
  it('rounds half to even and reports what rounding left behind', () => {
    expect(microsToMinor(1_234_567n, 2)).toEqual({ minor: 123n, remainderMicros: 4_567n });
    expect(microsToMinor('1234567', 0)).toEqual({ minor: 1n, remainderMicros: 234_567n });
    expect(microsToMinor(15_000n, 2)).toEqual({ minor: 2n, remainderMicros: -5_000n }); // 1.5 → 2
    expect(microsToMinor(25_000n, 2)).toEqual({ minor: 2n, remainderMicros: 5_000n }); // 2.5 → 2
    expect(microsToMinor(25_001n, 2)).toEqual({ minor: 3n, remainderMicros: -4_999n });
    expect(microsToMinor(2_500_000n, 0)).toEqual({ minor: 2n, remainderMicros: 500_000n });
    expect(microsToMinor(3_500_000n, 0)).toEqual({ minor: 4n, remainderMicros: -500_000n });
    expect(microsToMinor(0n, 2)).toEqual({ minor: 0n, remainderMicros: 0n });
    expect(microsToMinor(1n, 6)).toEqual({ minor: 1n, remainderMicros: 0n });
  });

  it('keeps minor × micros per unit + remainder equal to the micros, beyond 2^53 too', () => {
    for (const micros of [9_007_199_254_740_993_123n, 123_456_789_012_345_678_901n, 999_999n, 5_000n]) {
      const { minor, remainderMicros } = microsToMinor(micros, 2);
      expect(minor * 10_000n + remainderMicros).toBe(micros);
      expect(remainderMicros * 2n <= 10_000n && remainderMicros * 2n >= -10_000n).toBe(true);
    }
    expect(microsToMinor('9007199254740993000000', 2).minor).toBe(900719925474099300n);
  });

  it('refuses negative, fractional and malformed micros, and exponents past 6', () => {
    expect(() => microsToMinor(-1n, 2)).toThrow(/negative/);
    for (const bad of ['-1', '1.5', '', 'abc', '1e6']) expect(() => microsToMinor(bad, 2), bad).toThrow(MoneyError);
    expect(() => microsToMinor(1n, 7)).toThrow(/exponent/);
  });
});

describe("Meta's currency exponents", () => {
  it('is 0 for the currencies Meta counts in whole units, 2 for the rest', () => {
    for (const code of ['JPY', 'KRW', 'CLP', 'ISK', 'TWD', 'HUF', 'COP', 'CRC', 'IDR', 'PYG', 'VND']) {
      expect(metaCurrencyExponent(code), code).toBe(0);
    }
    for (const code of ['USD', 'EUR', 'GBP', 'BHD', 'JOD', 'INR', 'BRL'])
      expect(metaCurrencyExponent(code), code).toBe(2);
    expect(metaCurrencyExponent('jpy')).toBe(0);
  });

  it('refuses a currency outside Meta’s table rather than guess', () => {
    for (const code of ['XXX', 'KWD', '', 'US']) expect(() => metaCurrencyExponent(code), code).toThrow(MoneyError);
  });

  it('turns a Meta budget into the amount it means', () => {
    expect(minorToDecimal('5000', metaCurrencyExponent('USD'))).toBe('50.00');
    expect(minorToDecimal('5000', metaCurrencyExponent('JPY'))).toBe('5000');
  });
});
