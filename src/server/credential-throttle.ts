// Slows down guessing: a client (by address, see client-address.ts) whose API keys, tokens or
// internal secrets failed too often within a window gets 429 with Retry-After, before any
// credential it sends is looked at, until the window ends. Counted per client and never per key:
// failures from an attacker's address cannot lock a real key out anywhere else. A success does
// not reset the count, or an attacker holding one valid key of their own could interleave it
// with guesses. Counts live in memory, per process, for a bounded number of clients.
import type { Context } from 'hono';
import type { ClientAddress } from './client-address.ts';
import { ProblemError } from './problem.ts';

export interface ThrottleSettings {
  /** Failed credentials a client may send within one window. */
  failures: number;
  windowMs: number;
  /** Clients counted at most; the oldest window is forgotten first. */
  clients: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = { failures: 20, windowMs: 5 * 60_000, clients: 10_000 };

export interface CredentialThrottle {
  /** Throws 429 when the caller's client has failed too often in its current window. */
  assertAllowed(c: Context): void;
  /** Counts a failed credential against the caller's client. */
  failed(c: Context): void;
}

export function createCredentialThrottle(
  clientOf: ClientAddress,
  settings: ThrottleSettings = DEFAULT_THROTTLE,
  now: () => number = Date.now,
): CredentialThrottle {
  // A window opens at a client's first failure and lasts windowMs, however the client behaves in it.
  const windows = new Map<string, { failures: number; endsAt: number }>();
  return {
    assertAllowed(c) {
      const window = windows.get(clientOf(c));
      if (!window || window.failures < settings.failures) return;
      const waitMs = window.endsAt - now();
      if (waitMs <= 0) return;
      const seconds = Math.ceil(waitMs / 1000);
      throw new ProblemError(429, `too many failed credentials from this client: try again in ${seconds} s`, {
        headers: { 'retry-after': String(seconds) },
      });
    },
    failed(c) {
      const client = clientOf(c);
      const window = windows.get(client);
      if (window && window.endsAt > now()) {
        window.failures += 1;
        return;
      }
      windows.delete(client);
      if (windows.size >= settings.clients) windows.delete(windows.keys().next().value as string);
      windows.set(client, { failures: 1, endsAt: now() + settings.windowMs });
    },
  };
}
