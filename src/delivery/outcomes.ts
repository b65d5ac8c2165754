// What a claim's sends came to, written in one transaction: sent messages counted and their
// recipients moved on; a recipient the server refused for good bounced (and is suppressed); a
// message refused for what it is failed; a transient failure deferred with backoff; refused
// credentials defer everything of that channel and flag the sender for a person to fix.
import type { SqlSession } from '../db/port.ts';
import { confirmSent, endRecipients, markUnsent, type UnsentMessage } from '../db/repositories/delivery-messages.ts';
import { flagSender } from '../db/repositories/delivery-senders.ts';
import { addSuppressions } from '../db/repositories/delivery-suppressions.ts';
import { type RetryBackoff, retryDelayMs } from '../domain/retry-backoff.ts';
import type { PreparedMessage } from './claim.ts';
import type { DeliveryError } from './errors.ts';
import type { SendOutcome } from './send.ts';
import type { Channel } from './transport.ts';

export interface RetryPolicy extends RetryBackoff {
  /** Attempts before a message that keeps failing transiently fails; 8 unless set. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  retryBaseMs: 60_000,
  retryMaxMs: 3_600_000,
  random: Math.random,
};

/** How long a channel whose credentials were refused waits before its messages are tried again. */
const RECONNECT_WAIT_MS = 15 * 60_000;

export interface OutcomeCounts {
  sent: number;
  deferred: number;
  bounced: number;
  failed: number;
}

export async function writeOutcomes(
  s: SqlSession,
  tenantId: string,
  outcomes: readonly SendOutcome[],
  policy: RetryPolicy,
  now: Date,
): Promise<OutcomeCounts> {
  const sent = outcomes.flatMap((o) =>
    'sent' in o
      ? [
          {
            id: o.message.outgoing.id,
            attempts: o.message.attempts,
            provider_id: o.sent.providerId,
            sent_at: o.sent.at,
          },
        ]
      : [],
  );
  await confirmSent(s, tenantId, sent);

  const unsent: UnsentMessage[] = [];
  const refusedCredentials = new Map<Channel, DeliveryError>();
  for (const o of outcomes) {
    if (!('error' in o)) continue;
    const { error, message } = o;
    const base = { id: message.outgoing.id, attempts: message.attempts, error: error.message };
    if (error.kind === 'recipient-refused') unsent.push({ ...base, status: 'bounced', retry_at: null });
    else if (error.kind === 'rejected') unsent.push({ ...base, status: 'failed', retry_at: null });
    else if (message.attempts >= policy.maxAttempts) {
      unsent.push({
        ...base,
        status: 'failed',
        error: `gave up after ${message.attempts} attempts: ${error.message}`,
        retry_at: null,
      });
    } else {
      if (error.kind === 'needs-reconnect') refusedCredentials.set(error.channel, error);
      const wait =
        error.kind === 'needs-reconnect'
          ? RECONNECT_WAIT_MS
          : retryDelayMs(message.attempts, error.retryAfterMs ?? 0, policy);
      unsent.push({ ...base, status: 'deferred', retry_at: new Date(now.getTime() + wait) });
    }
  }
  const written = new Map((await markUnsent(s, tenantId, unsent)).map((row) => [row.id, row]));
  const ends = unsent.flatMap((u) => {
    const row = written.get(u.id);
    if (!row || u.status === 'deferred') return [];
    return [{ ...row, reason: u.status === 'bounced' ? ('bounced' as const) : ('failed' as const) }];
  });
  await endRecipients(s, tenantId, ends);
  // A recipient the server refused for good is a hard bounce: never sent to again.
  await addSuppressions(
    s,
    tenantId,
    ends
      .filter((e) => e.reason === 'bounced')
      .map((e) => ({
        channel: e.channel,
        address: e.to_address,
        reason: e.channel === 'sms' && isStop(outcomes, e.id) ? ('sms_stop' as const) : ('hard_bounce' as const),
        message_id: e.id,
      })),
  );
  for (const [channel, error] of refusedCredentials) await flagSender(s, tenantId, channel, error.message);
  return {
    sent: sent.length,
    deferred: unsent.filter((u) => u.status === 'deferred').length,
    bounced: ends.filter((e) => e.reason === 'bounced').length,
    failed: ends.filter((e) => e.reason === 'failed').length,
  };
}

/**
 * Messages claimed and never handed to a transport (the run failed before their turn): deferred,
 * due at once, so the next run's retry claim sends them; without this they would wait for the
 * reconciliation, which cannot tell them from e-mails that went.
 */
export async function releaseUnsent(s: SqlSession, tenantId: string, messages: readonly PreparedMessage[], now: Date) {
  await markUnsent(
    s,
    tenantId,
    messages.map((m) => ({
      id: m.outgoing.id,
      attempts: m.attempts,
      status: 'deferred' as const,
      error: 'claimed, and not sent: the run stopped first',
      retry_at: now,
    })),
  );
}

/** Twilio's 21610: the number replied STOP to this sender; the refusal is the recipient's opt-out. */
function isStop(outcomes: readonly SendOutcome[], messageId: string): boolean {
  const outcome = outcomes.find((o) => o.message.outgoing.id === messageId);
  return outcome !== undefined && 'error' in outcome && String(outcome.error.code) === '21610';
}
