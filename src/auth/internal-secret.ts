// The shared secret of internal callers (cron endpoints), compared in constant time: digests of
// equal length, so neither the content nor the length of the secret leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function matchesInternalSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(secret));
}
