// When a delivery that failed is tried again (docs/notifications.md): after 1 minute, 5 minutes,
// 30 minutes, 2 hours, 5 hours, then every 10 hours, until 3 days after its first attempt; then
// it has failed for good. Stripe's schedule for webhooks has this shape (retries "for up to three
// days with an exponential back off"); a receiver down for a weekend night catches up.

const STEPS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000];
const LATER_MS = 10 * 3_600_000;
export const GIVE_UP_AFTER_MS = 3 * 24 * 3_600_000;

/** The wait after the `attempts`-th failed attempt (1-based). */
export function retryWaitMs(attempts: number): number {
  return STEPS_MS[attempts - 1] ?? LATER_MS;
}

/**
 * The next attempt after `attempts` failures, the first of which was at `firstAttemptAt`; null
 * when that would fall past the 3 days (the delivery has failed). A receiver's Retry-After is
 * waited for when it asks longer.
 */
export function nextAttemptAt(attempts: number, firstAttemptAt: Date, now: Date, retryAfterMs = 0): Date | null {
  const at = new Date(now.getTime() + Math.max(retryWaitMs(attempts), retryAfterMs));
  return at.getTime() - firstAttemptAt.getTime() > GIVE_UP_AFTER_MS ? null : at;
}
