// How a message failed to go out, in the words of what its sender can do about it, whichever the
// channel: wait and retry (rate-limited, unavailable), have the settings or credentials fixed
// (needs-reconnect), give up on this message (rejected), or give up on this address for good
// (recipient-refused: the SMTP server refused the mailbox, Twilio refused the number).
// Messages say what the server said and never carry a password, a token or a private key.

export type DeliveryChannel = 'email' | 'sms';

export type DeliveryFailureKind = 'rate-limited' | 'needs-reconnect' | 'unavailable' | 'rejected' | 'recipient-refused';

export interface DeliveryErrorOptions {
  /** The HTTP status (Twilio) or SMTP reply code answered; undefined when no answer came. */
  status?: number | undefined;
  /** The provider's own code: Twilio's error code (21610), or nodemailer's (ECONNECTION, EAUTH). */
  code?: string | number | undefined;
  /** How long to wait before trying again, when the provider said. */
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly channel: DeliveryChannel;
  readonly kind: DeliveryFailureKind;
  readonly status: number | undefined;
  readonly code: string | number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    channel: DeliveryChannel,
    kind: DeliveryFailureKind,
    message: string,
    options: DeliveryErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.channel = channel;
    this.kind = kind;
    this.status = options.status;
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.replaceAll(secret, '[redacted]') : out), text);
}

/**
 * The error as a cause safe to keep and log: a copy whose message, server response and causes are
 * scrubbed of the secrets (a library's error may quote what was sent, and loggers print causes).
 */
export function scrubbed(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (!(error instanceof Error) || depth > 3) return typeof error === 'string' ? redact(error, secrets) : error;
  const copy = new Error(redact(error.message, secrets), {
    cause: error.cause === undefined ? undefined : scrubbed(error.cause, secrets, depth + 1),
  });
  copy.name = error.name;
  const { code, response } = error as { code?: unknown; response?: unknown };
  if (code !== undefined) Object.assign(copy, { code });
  if (typeof response === 'string') Object.assign(copy, { response: redact(response, secrets) });
  return copy;
}
