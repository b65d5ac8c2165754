// What the delivery worker hands a rendered message to: one transport per channel, built from the
// tenant's sender (src/delivery/sender-transports.ts) over nodemailer's pooled SMTP or Twilio's
// REST API. A transport throws DeliveryError (src/delivery/errors.ts) when a message did not go.

export type Channel = 'email' | 'sms';

export interface OutgoingMessage {
  /** campaign_messages.id: the idempotency key the Message-ID and the Twilio lookup carry. */
  id: string;
  to: string;
  /** E-mail only. */
  subject?: string;
  html?: string;
  /** The e-mail's plain-text part, or the SMS body. */
  text: string;
  /** E-mail only: our Message-ID, `<ns.{tenant}.{message}@domain>` (src/delivery/inbound-mail.ts). */
  messageIdHeader?: string;
  /** E-mail only: List-Unsubscribe, List-Unsubscribe-Post. */
  headers?: Record<string, string>;
  /** SMS only: where Twilio reports the message's status. */
  statusCallback?: string;
}

export interface MessageTransport {
  readonly channel: Channel;
  /** Messages in flight at once (an SMTP pool's connections; Twilio requests). */
  readonly concurrency: number;
  /** Resolves with the provider's id of the message (our Message-ID, Twilio's SID) once accepted. */
  send(message: OutgoingMessage): Promise<{ providerId: string }>;
  /**
   * For a message whose answer was lost (its worker died): the provider's id if the provider has
   * it, undefined if it does not, or 'unknowable' when the provider cannot be asked (SMTP).
   */
  findSent(message: OutgoingMessage, claimedAt: Date): Promise<string | undefined | 'unknowable'>;
  close(): Promise<void>;
}
