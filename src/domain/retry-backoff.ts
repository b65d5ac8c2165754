// How long a retryable failure waits before it is tried again, for every queue that retries calls
// to an outside party: social posts (src/social/dispatcher.ts), changes to ad platforms
// (src/services/platform-changes.ts) and e-mail and SMS (src/delivery/outcomes.ts).

export interface RetryBackoff {
  /** The first retry's delay, doubled on each attempt after. */
  retryBaseMs: number;
  /** The longest delay between retries (the provider's own retry-after may be longer). */
  retryMaxMs: number;
  /** For the jitter: a number in [0, 1). */
  random: () => number;
}

/**
 * Exponential backoff with "equal jitter": between half and all of base·2^(attempt−1), capped,
 * so rows that failed together do not all come back at once, yet none comes back too early. A
 * provider that said how long to wait is waited for, even past the cap.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number, backoff: RetryBackoff): number {
  const exponential = Math.min(backoff.retryMaxMs, backoff.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(retryAfterMs, Math.round(exponential * (0.5 + backoff.random() / 2)));
}
