import { describe, expect, it } from 'vitest';
import { type DismissedSuggestion, dismissalVerdict, evidenceMoved, withinRespite } from './respite.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const daysAgo = (d: number) => hoursAgo(d * 24);

describe('withinRespite', () => {
  it('counts a decision taken in (now - respite, now]', () => {
    expect(withinRespite(hoursAgo(0), 72, NOW)).toBe(true);
    expect(withinRespite(hoursAgo(71.9), 72, NOW)).toBe(true);
    expect(withinRespite(hoursAgo(72), 72, NOW)).toBe(false);
    expect(withinRespite(null, 72, NOW)).toBe(false);
  });

  it('ignores a decision dated after now: replaying a past day must not see it', () => {
    expect(withinRespite(hoursAgo(-1), 72, NOW)).toBe(false);
    expect(withinRespite(daysAgo(-10), 72, NOW)).toBe(false);
  });

  it('a respite of 0 holds nothing back', () => {
    expect(withinRespite(hoursAgo(0), 0, NOW)).toBe(false);
  });
});

describe('evidenceMoved', () => {
  const dismissed: DismissedSuggestion = { at: daysAgo(1), confidence: 0.75, net: 100 };

  it('moves when the probability of being right rose by 10 points or more', () => {
    expect(evidenceMoved(dismissed, { confidence: 0.85, net: 100 })).toBe(true);
    expect(evidenceMoved(dismissed, { confidence: 0.849, net: 100 })).toBe(false);
  });

  it('moves when the expected net at least doubled', () => {
    expect(evidenceMoved(dismissed, { confidence: 0.75, net: 200 })).toBe(true);
    expect(evidenceMoved(dismissed, { confidence: 0.75, net: 199.99 })).toBe(false);
  });

  it('does not move when the evidence got weaker', () => {
    expect(evidenceMoved(dismissed, { confidence: 0.6, net: 50 })).toBe(false);
  });

  it('without a money figure on either side (posts, old rows), only the confidence counts', () => {
    expect(evidenceMoved({ ...dismissed, net: null }, { confidence: 0.8, net: 1_000 })).toBe(false);
    expect(evidenceMoved(dismissed, { confidence: 0.8, net: null })).toBe(false);
    expect(evidenceMoved({ ...dismissed, net: null }, { confidence: 0.9, net: null })).toBe(true);
  });

  it('a net that was not positive cannot double; a dismissal without a confidence cannot be beaten on it', () => {
    expect(evidenceMoved({ ...dismissed, net: 0 }, { confidence: 0.75, net: 50 })).toBe(false);
    expect(evidenceMoved({ ...dismissed, net: -10 }, { confidence: 0.75, net: 50 })).toBe(false);
    expect(evidenceMoved({ ...dismissed, confidence: null }, { confidence: 0.99, net: 100 })).toBe(false);
  });
});

describe('dismissalVerdict', () => {
  const same = { confidence: 0.75, net: 100 };
  const dismissedAt = (at: Date): DismissedSuggestion => ({ at, confidence: 0.75, net: 100 });

  it('is clear without a dismissal, and after the respite', () => {
    expect(dismissalVerdict(null, same, 30, NOW)).toEqual({ kind: 'clear' });
    expect(dismissalVerdict(dismissedAt(daysAgo(31)), same, 30, NOW)).toEqual({ kind: 'clear' });
  });

  it('holds the same action back until the respite ends', () => {
    expect(dismissalVerdict(dismissedAt(daysAgo(29)), same, 30, NOW)).toEqual({
      kind: 'held',
      until: daysAgo(-1),
    });
  });

  it('asks again within the respite when the evidence moved', () => {
    const dismissed = dismissedAt(daysAgo(2));
    expect(dismissalVerdict(dismissed, { confidence: 0.9, net: 100 }, 30, NOW)).toEqual({ kind: 'moved', dismissed });
  });

  it('a dismissal dated after now does not hold anything back', () => {
    expect(dismissalVerdict(dismissedAt(daysAgo(-1)), same, 30, NOW)).toEqual({ kind: 'clear' });
  });

  it('a respite of 0 days turns it off', () => {
    expect(dismissalVerdict(dismissedAt(NOW), same, 0, NOW)).toEqual({ kind: 'clear' });
  });
});
