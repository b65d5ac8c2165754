// One tenant's delivery run as the scheduled task, the CLI and the tests start it: its senders
// become transports for the run, the worker drains what is due, and the connections close.
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { Database } from '../db/port.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { type DeliverOptions, type DeliveryReport, deliverDueMessages } from './deliver.ts';
import { closeTransports, tenantTransports } from './sender-transports.ts';
import { messageIdDomain } from './smtp-transport.ts';

export interface DeliveryDeps {
  cipher: TokenCipher;
  /** Signs the tracking and unsubscribe links (trackingKey of the encryption key). */
  trackingKey: Buffer;
  /** Signs the approve, dismiss and rollback links of notifications (actionLinkKey of the encryption key). */
  actionLinkKey: Buffer;
  /** Where recipients reach this install: the tracking, unsubscribe, action and callback addresses. */
  publicUrl: string;
  twilioBaseUrl: string;
  /** Slack's response URLs must be under it (https://hooks.slack.com unless configured). */
  slackBaseUrl?: string;
  /** Each provider call's timeout; 30 s unless set. */
  timeoutMs?: number;
}

export type RunOptions = Omit<DeliverOptions, 'tenantId' | 'transports' | 'links' | 'emailDomain' | 'quietHours'>;

export async function deliverForTenant(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  options: RunOptions = {},
): Promise<DeliveryReport> {
  const senders = await tenantScoped(db, tenantId).transaction((s) => tenantTransports(s, tenantId, deps));
  try {
    return await deliverDueMessages(db, {
      ...options,
      tenantId,
      transports: senders.transports,
      links: {
        publicUrl: deps.publicUrl,
        key: deps.trackingKey,
        trackOpens: senders.email?.track_opens ?? true,
        trackClicks: senders.email?.track_clicks ?? true,
      },
      emailDomain: senders.email ? messageIdDomain(senders.email.from_address) : 'localhost',
      ...(senders.sms
        ? { quietHours: { startHour: senders.sms.quiet_hours.start_hour, endHour: senders.sms.quiet_hours.end_hour } }
        : {}),
    });
  } finally {
    await closeTransports(senders.transports);
  }
}
