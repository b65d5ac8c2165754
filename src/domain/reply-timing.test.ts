import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOP_SETTINGS } from '../contract/tenant-settings.ts';
import {
  mergeReplyDelays,
  REPLY_DELAY_KEYS,
  replyDelayQuantile,
  replyDelaysSchema,
  suggestDelay,
} from './reply-timing.ts';

const labels = { previousStep: 'step 1', step: 'step 2' };

describe('reply-delay histograms', () => {
  it('has one key per bound and an open bucket', () => {
    expect(REPLY_DELAY_KEYS).toEqual(['1', '2', '4', '8', '12', '24', '48', '72', '96', '120', '168', '336', 'more']);
  });

  it('merges by bucket', () => {
    expect(mergeReplyDelays([{ '1': 2, '24': 5 }, { '24': 1, more: 3 }, {}])).toEqual({ '1': 2, '24': 6, more: 3 });
    expect(mergeReplyDelays([])).toEqual({});
  });

  it('takes the quantile as the bound of the bucket where the cumulative share reaches it', () => {
    const histogram = { '4': 50, '24': 40, '72': 9, '168': 1 };
    expect(replyDelayQuantile(histogram, 0.5)).toBe(4);
    expect(replyDelayQuantile(histogram, 0.51)).toBe(24);
    // Exactly 90 of 100 within 24 h: reached there, not in the next bucket.
    expect(replyDelayQuantile(histogram, 0.9)).toBe(24);
    expect(replyDelayQuantile(histogram, 0.99)).toBe(72);
    expect(replyDelayQuantile(histogram, 1)).toBe(168);
    expect(replyDelayQuantile({ '48': 126, more: 14 }, 0.9)).toBe(48);
  });

  it('has no quantile without replies, and an unbounded one past the last bound', () => {
    expect(replyDelayQuantile({}, 0.9)).toBeNull();
    expect(replyDelayQuantile({ '12': 0 }, 0.9)).toBeNull();
    expect(replyDelayQuantile({ '24': 5, more: 5 }, 0.9)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('replyDelaysSchema', () => {
  it('accepts any subset of the buckets', () => {
    expect(replyDelaysSchema.parse({ '1': 3, more: 0 })).toEqual({ '1': 3, more: 0 });
    expect(replyDelaysSchema.parse({})).toEqual({});
  });

  it('names the allowed buckets when given another key', () => {
    const result = replyDelaysSchema.safeParse({ '1': 3, '3': 1 });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.code).toBe('unrecognized_keys');
    expect(issue.message).toContain('"3"');
    expect(issue.message).toContain('1, 2, 4, 8, 12, 24, 48, 72, 96, 120, 168, 336, more');
  });

  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '3', null])('rejects the count %s', (count) => {
    const result = replyDelaysSchema.safeParse({ '24': count });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['24']);
  });
});

describe('suggestDelay', () => {
  const settings = DEFAULT_LOOP_SETTINGS; // 30 replies, 24–168 h
  // 140 replies: 126 (90%) within 48 h.
  const replies = { '4': 60, '24': 46, '48': 20, '96': 10, more: 4 };

  it('moves the wait to the 90th percentile of the previous step’s replies', () => {
    const suggestion = suggestDelay({ previousStep: replies, currentDelayHours: 120, settings, labels });
    expect(suggestion).toEqual({
      delayHours: 48,
      rationale:
        '90% of the 140 replies to step 1 arrived within 48 h; the wait before step 2 moves from 120 h to 48 h',
      confidence: 126 / 140,
    });
  });

  it('needs enough replies', () => {
    const few = { '4': 20, '24': 9 };
    expect(suggestDelay({ previousStep: few, currentDelayHours: 120, settings, labels })).toBeNull();
    expect(
      suggestDelay({ previousStep: { ...few, '24': 10 }, currentDelayHours: 120, settings, labels }),
    ).not.toBeNull();
  });

  it('stays within the allowed range', () => {
    // 90% within 4 h, but the shortest wait allowed is 24 h.
    const fast = { '1': 50, '4': 40, '24': 10 };
    const short = suggestDelay({ previousStep: fast, currentDelayHours: 72, settings, labels });
    expect(short).toMatchObject({ delayHours: 24, confidence: 1 });
    expect(short!.rationale).toBe(
      '90% of the 100 replies to step 1 arrived within 4 h; the wait before step 2 moves from 72 h to 24 h, ' +
        'the shortest allowed (100% of the replies arrived within it)',
    );
    // Most replies after two weeks: the longest wait allowed, which covers few of them.
    const slow = { '48': 10, '168': 10, more: 80 };
    const long = suggestDelay({ previousStep: slow, currentDelayHours: 48, settings, labels });
    expect(long).toMatchObject({ delayHours: 168, confidence: 0.2 });
    expect(long!.rationale).toBe(
      'more than 10% of the 100 replies to step 1 arrived after 336 h; the wait before step 2 moves from 48 h to ' +
        '168 h, the longest allowed (20% of the replies arrived within it)',
    );
  });

  it('leaves small moves alone', () => {
    const at = (currentDelayHours: number) =>
      suggestDelay({ previousStep: replies, currentDelayHours, settings, labels })?.delayHours ?? null;
    // Target 48 h. Up to 48 h of current delay the threshold is 12 h...
    expect(at(36)).toBe(48);
    expect(at(37)).toBeNull();
    // ...above, a quarter of the current delay: 16 h from 64 h, 15.75 h from 63 h.
    expect(at(64)).toBe(48);
    expect(at(63)).toBeNull();
    expect(at(48)).toBeNull();
  });
});
