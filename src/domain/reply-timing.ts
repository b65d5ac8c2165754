// When replies to a step arrive, and how long the sequence should wait before the next step.
//
// Ingestion reports, per variant, a histogram of replies by delay since the send: bucket "24" counts
// the replies that came after the previous bound (12 h) and within 24 h. Buckets rather than raw
// timestamps keep the payload and the column small and carry all the rule below needs. The bounds
// roughly double, as reply times spread out on a log scale: most replies come within hours, a
// trickle over the following week or two.
import { z } from 'zod';
import type { LoopSettings } from '../contract/tenant-settings.ts';

/** Bucket upper bounds in hours after the send; replies after the last go to 'more'. */
export const REPLY_DELAY_BUCKETS = [1, 2, 4, 8, 12, 24, 48, 72, 96, 120, 168, 336] as const;
const LAST_BOUND = Math.max(...REPLY_DELAY_BUCKETS);

/** The histogram's keys, in order: every bound as text, then 'more'. */
export const REPLY_DELAY_KEYS: readonly string[] = [...REPLY_DELAY_BUCKETS.map(String), 'more'];

/** Reply counts by bucket key; a missing key counts zero. */
export type ReplyDelays = Readonly<Record<string, number>>;

const replyCount = z.int().min(0);

/** What ingestion accepts: known buckets only, each a non-negative whole count. */
export const replyDelaysSchema = z.strictObject(
  Object.fromEntries(REPLY_DELAY_KEYS.map((key) => [key, replyCount.optional()])),
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown reply-delay bucket ${issue.keys.map((k) => `"${k}"`).join(', ')}: the buckets are ${REPLY_DELAY_KEYS.join(', ')} (hours after the send)`
        : undefined,
  },
);

/**
 * The sum of several histograms (e.g. all variants of a step). Keys that are not buckets are
 * ignored: ingestion rejects them, so only a hand-edited row could hold one.
 */
export function mergeReplyDelays(histograms: Iterable<ReplyDelays>): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const histogram of histograms) {
    for (const key of REPLY_DELAY_KEYS) {
      const count = histogram[key] ?? 0;
      if (count > 0) merged[key] = (merged[key] ?? 0) + count;
    }
  }
  return merged;
}

function totalReplies(histogram: ReplyDelays): number {
  return REPLY_DELAY_KEYS.reduce((sum, key) => sum + (histogram[key] ?? 0), 0);
}

/**
 * The q-quantile of the reply delay in hours, as the upper bound of the bucket where the
 * cumulative share of replies reaches q: the shortest bucket bound within which at least that share
 * of replies arrived. Infinity when it is reached only in 'more' (beyond 336 h: no finite wait
 * covers it, and callers clamp it); null for an empty histogram.
 */
export function replyDelayQuantile(histogram: ReplyDelays, q: number): number | null {
  const total = totalReplies(histogram);
  if (total === 0) return null;
  let cumulative = 0;
  for (const bound of REPLY_DELAY_BUCKETS) {
    cumulative += histogram[String(bound)] ?? 0;
    // A ratio of whole numbers rounds to the same double as q when they are equal (126 / 140 is 0.9).
    if (cumulative / total >= q) return bound;
  }
  return Number.POSITIVE_INFINITY;
}

/** The share of replies known to have arrived within `hours`: those of buckets whose bound is ≤ it. */
function shareWithin(histogram: ReplyDelays, hours: number): number {
  const within = REPLY_DELAY_BUCKETS.filter((bound) => bound <= hours).reduce(
    (sum, bound) => sum + (histogram[String(bound)] ?? 0),
    0,
  );
  return within / totalReplies(histogram);
}

/** Which quantile of the previous step's replies the next step waits for. */
const TARGET_QUANTILE = 0.9;
/** Smaller moves than this many hours, or this share of the current delay, are not proposed. */
const MIN_CHANGE_HOURS = 12;
const MIN_CHANGE_SHARE = 0.25;

export interface DelayEvidence {
  /** Replies to the previous step by delay bucket, merged over its variants. */
  previousStep: ReplyDelays;
  /** The current wait before this step, in hours after the previous one. */
  currentDelayHours: number;
  settings: LoopSettings;
  /** How the rationale names the two steps, e.g. 'step 1 (Intro)' and 'step 2 (Follow-up)'. */
  labels: { previousStep: string; step: string };
}

export interface DelaySuggestion {
  delayHours: number;
  rationale: string;
  /** The observed share of the previous step's replies that arrived within the new delay. */
  confidence: number;
}

/**
 * The wait before a step, from when replies to the previous step arrived.
 *
 * Rule: with at least `min_timing_replies` replies, the new wait is the 90th percentile of their
 * delay (a bucket bound), clamped to [min_delay_hours, max_delay_hours]. A follow-up sent while
 * replies to the last message are still coming in talks over people who were about to answer; one
 * sent long after they stopped loses days. Waiting until nine in ten replies have arrived gives
 * nearly everyone who answers the chance first, and no longer. The change is proposed only when it
 * moves the delay by at least max(12 h, 25% of the current delay): the buckets are coarse (the
 * bounds roughly double), so smaller moves would follow noise and churn the sequence. Confidence
 * is the share of replies that arrived within the new wait: a shorter wait that cuts into replies
 * scores lower.
 */
export function suggestDelay(evidence: DelayEvidence): DelaySuggestion | null {
  const { previousStep, currentDelayHours: current, settings, labels } = evidence;
  const total = totalReplies(previousStep);
  if (total < settings.min_timing_replies) return null;
  const quantile = replyDelayQuantile(previousStep, TARGET_QUANTILE) ?? Number.POSITIVE_INFINITY;
  const target = Math.min(Math.max(quantile, settings.min_delay_hours), settings.max_delay_hours);
  if (Math.abs(target - current) < Math.max(MIN_CHANGE_HOURS, MIN_CHANGE_SHARE * current)) return null;

  const confidence = shareWithin(previousStep, target);
  const observed = Number.isFinite(quantile)
    ? `${percent(TARGET_QUANTILE)} of the ${total} replies to ${labels.previousStep} arrived within ${quantile} h`
    : `more than ${percent(1 - TARGET_QUANTILE)} of the ${total} replies to ${labels.previousStep} arrived after ${LAST_BOUND} h`;
  const limit = target === quantile ? '' : target === settings.max_delay_hours ? 'longest' : 'shortest';
  const clamped = limit ? `, the ${limit} allowed (${percent(confidence)} of the replies arrived within it)` : '';
  return {
    delayHours: target,
    rationale: `${observed}; the wait before ${labels.step} moves from ${current} h to ${target} h${clamped}`,
    confidence,
  };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
