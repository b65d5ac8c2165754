// The delivery worker's run for one tenant (docs/delivery.md): reconcile what a dead worker left
// half-sent, then claim, send and record, claim after claim, until nothing is due or the run's time
// is up. Each claim is its own transaction, committed before any message reaches a transport; the
// outcomes are written in another. Any number of workers may run at once: the claims skip what
// another holds. Campaigns left with nobody to send to become 'completed'.
import type { Database } from '../db/port.ts';
import { completeFinishedCampaigns } from '../db/repositories/delivery-messages.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { DEFAULT_QUIET_WINDOW, type QuietWindow } from '../domain/quiet-hours.ts';
import { claimBatch } from './claim.ts';
import type { LinkSettings } from './message-links.ts';
import { DEFAULT_RETRY_POLICY, type OutcomeCounts, type RetryPolicy, writeOutcomes } from './outcomes.ts';
import { reconcileStale } from './reconcile.ts';
import { sendMessages } from './send.ts';
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
  while (channels.length > 0 && Date.now() - started < (options.timeLimitMs ?? 5 * 60_000)) {
    const claim = await scoped.transaction((s) =>
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
    if (claim.taken === 0) break;
    report.claims++;
    report.render_errors.push(...claim.renderErrors);
    const outcomes = await sendMessages(claim.messages, options.transports, now);
    const counts = await scoped.transaction((s) => writeOutcomes(s, options.tenantId, outcomes, policy, now()));
    report.sent += counts.sent;
    report.deferred += counts.deferred;
    report.bounced += counts.bounced;
    report.failed += counts.failed;
    // Nothing went and something was deferred: the provider is down or refusing us. Claiming on
    // would only defer every waiting recipient in turn; the next run tries again.
    if (counts.sent === 0 && counts.deferred > 0) break;
  }
  report.completed_campaigns = await scoped.transaction((s) => completeFinishedCampaigns(s, options.tenantId));
  return report;
}
