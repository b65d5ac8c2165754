import { describe, expect, it } from 'vitest';
import { loopSettingsSchema } from '../contract/tenant-settings.ts';
import { staleCandidates } from './daily-checks.ts';

describe('staleCandidates', () => {
  it('keeps every asset that may be older than the bound, to the second it was read at', () => {
    const settings = loopSettingsSchema.parse({ stale_after_days: 14 });
    // The exact bound is 2026-11-08T12:00:00.700Z; ages are read in whole seconds.
    const now = new Date('2026-11-22T12:00:00.700Z');
    const ages = new Map([
      ['long-ago', '2026-11-01T00:00:00Z'],
      // Really 12:00:00.000 to .999: maybe before the bound, so the SQL must look.
      ['same-second', '2026-11-08T12:00:00Z'],
      ['just-after', '2026-11-08T12:00:01Z'],
      ['recent', '2026-11-20T00:00:00Z'],
    ]);
    expect(staleCandidates(ages, settings, now)).toEqual(['long-ago', 'same-second']);
  });
});
