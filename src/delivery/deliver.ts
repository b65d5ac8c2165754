// The delivery worker's run for one tenant (docs/delivery.md): reconcile what a dead worker left
// half-sent, then claim, send and record, claim after claim, until nothing is due or the run's time
// is up. Each claim is its own transaction, committed before any message of it reaches a transport;
// its messages are marked handed over a chunk at a time as they go (src/delivery/hand-over.ts); the
// outcomes are written in another transaction. The three overlap: a claim is sent while the next is
// taken and the one before is written. Any number of workers may run at once: the claims skip what
// another holds. Campaigns left with nobody to send to become 'completed'.
import type { Database } from '../db/port.ts';
import { completeFinishedCampaigns, markHandedOver } from '../db/repositories/delivery-messages.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { DEFAULT_QUIET_WINDOW, type QuietWindow } from '../domain/quiet-hours.ts';
import { type Claim, claimBatch } from './claim.ts';
import type { LinkSettings } from './message-links.ts';
import {
  DEFAULT_RETRY_POLICY,
  type OutcomeCounts,
  type RetryPolicy,
  releaseUnsent,
  writeOutcomes,
} from './outcomes.ts';
import { reconcileStale } from './reconcile.ts';
import { type SendOutcome, sendMessages } from './send.ts';
import type { Channel, MessageTransport } from './transport.ts';

export interface DeliverOptions {
  tenantId: string;
  /** The tenant's active senders as transports; a channel without one is not claimed. */
  transports: Partial<Record<Channel, MessageTransport>>;
  links: LinkSettings;
  /** The domain of our Message-IDs: the e-mail sender's. */
  emailDomain: string;
  /** No SMS in these local hours of the contact (the SMS sender's setting; 21 to 8 unless set). */
  quietHours?: QuietWindow;
  now?: () => Date;
  /** Recipients and retries per claim; 500 unless set. */
  batchSize?: number;
  /** The run stops claiming after this long; 5 minutes unless set (the task expires after 10). */
  timeLimitMs?: number;
  /** A message 'sending' this long belongs to a worker that died; 10 minutes unless set. */
  staleAfterMs?: number;
  retry?: Partial<RetryPolicy>;
  /** For drawing variants and retry jitter; Math.random unless set. */
  random?: () => number;
}

export interface DeliveryReport extends OutcomeCounts {
  claims: number;
  /** Messages a dead worker left: found sent, not knowable (SMTP), or sent again. */
  reconciled: { confirmed: number; unconfirmed: number; requeued: number };
  completed_campaigns: string[];
  render_errors: { variant_id: string; error: string }[];
}

export async function deliverDueMessages(db: Database, options: DeliverOptions): Promise<DeliveryReport> {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const policy = { ...DEFAULT_RETRY_POLICY, random, ...options.retry };
  const scoped = tenantScoped(db, options.tenantId);
  const channels = Object.keys(options.transports) as Channel[];
  const report: DeliveryReport = {
    claims: 0,
    sent: 0,
    deferred: 0,
    bounced: 0,
    failed: 0,
    reconciled: await reconcileStale(scoped, options.tenantId, {
      transports: options.transports,
      now: now(),
      staleAfterMs: options.staleAfterMs ?? 10 * 60_000,
    }),
    completed_campaigns: [],
    render_errors: [],
  };
  const started = Date.now();
  const inTime = () => Date.now() - started < (options.timeLimitMs ?? 5 * 60_000);
  // A claim taken ahead commits at once: a worker that dies before sending it leaves its messages
  // unmarked, and the next run sends them.
  const claimNext = () =>
    scoped.transaction((s) =>
      claimBatch(s, options.tenantId, {
        channels,
        now: now(),
        limit: options.batchSize ?? 500,
        links: options.links,
        emailDomain: options.emailDomain,
        quietHours: options.quietHours ?? DEFAULT_QUIET_WINDOW,
        random,
      }),
    );
  const handedOver = (messages: readonly { id: string; attempts: number }[]) =>
    scoped.transaction((s) => markHandedOver(s, options.tenantId, messages, now()));
  let last: OutcomeCounts = { sent: 0, deferred: 0, bounced: 0, failed: 0 };
  const write = async (outcomes: SendOutcome[]) => {
    last = await scoped.transaction((s) => writeOutcomes(s, options.tenantId, outcomes, policy, now()));
    report.sent += last.sent;
    report.deferred += last.deferred;
    report.bounced += last.bounced;
    report.failed += last.failed;
  };
  let claim = channels.length > 0 && inTime() ? await claimNext() : undefined;
  let writing: Promise<void> = Promise.resolve();
  let ahead: Promise<Claim | undefined> = Promise.resolve(undefined);
  try {
    while (claim && claim.taken > 0) {
      report.claims++;
      report.render_errors.push(...claim.renderErrors);
      // The transports are not kept waiting on the database: the next claim is taken while this
      // one is sent (committed when this one's sends are done), and this one's outcomes are
      // written while the next is sent. The claim ahead starts once a message of this one has
      // gone: a provider that is down or refusing us is not handed a second claim.
      const sent = Promise.withResolvers<true>();
      const sending = sendMessages(claim.messages, options.transports, {
        now,
        markHandedOver: handedOver,
        onSent: () => sent.resolve(true),
      });
      ahead = Promise.race([sent.promise, sending.then(() => false)]).then((went) =>
        went && inTime() ? claimNext() : undefined,
      );
      const outcomes = await sending;
      await writing;
      writing = write(outcomes);
      claim = await ahead;
      if (claim === undefined && inTime()) {
        await writing;
        // Nothing went and something was deferred: the provider is down or refusing us. Claiming
        // on would only defer every waiting recipient in turn; the next run tries again.
        if (last.sent === 0 && last.deferred > 0) break;
        claim = await claimNext();
      }
    }
    await writing;
  } catch (error) {
    // What was sent is written (or fails) before the run ends, and a claim taken ahead, never
    // handed over, is put back to be sent by a later run.
    await writing.catch(() => {});
    const untouched = await ahead.catch(() => undefined);
    if (untouched) await scoped.transaction((s) => releaseUnsent(s, options.tenantId, untouched.messages, now()));
    throw error;
  }
  report.completed_campaigns = await scoped.transaction((s) => completeFinishedCampaigns(s, options.tenantId));
  return report;
}
