import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-backoff.ts';

describe('the retry delay', () => {
  const settings = (random: number) => ({ retryBaseMs: 60_000, retryMaxMs: 600_000, random: () => random });

  it('doubles per attempt between half and all of it, up to the cap, unless the provider asks for longer', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, 0, settings(1)))).toEqual([
      60_000, 120_000, 240_000, 480_000, 600_000,
    ]);
    expect(retryDelayMs(2, 0, settings(0))).toBe(60_000);
    expect(retryDelayMs(1, 900_000, settings(1))).toBe(900_000);
  });
});
