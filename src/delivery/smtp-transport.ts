// Sends e-mail through the tenant's SMTP server with nodemailer's pooled transport: a few
// long-lived connections (each TLS handshake and login done once, not per message), an optional
// messages-per-second limit shared by all of them, and DKIM signing when a key is set. One send is
// one attempt: retries and backoff are the delivery worker's, told what to do by the DeliveryError.
// The password and the DKIM key are scrubbed from every error, and nodemailer is given no logger.
import { domainToASCII } from 'node:url';
import { createTransport } from 'nodemailer';
import { DeliveryError, type DeliveryFailureKind, redact, scrubbed } from './errors.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_CONNECTIONS = 5;

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). False: plain SMTP, upgraded by STARTTLS as `startTls` says. */
  secure: boolean;
  /**
   * STARTTLS on a connection that is not `secure`: 'required' fails rather than go on in clear,
   * 'opportunistic' upgrades when the server offers it (and logs in only if it did), 'off' never
   * upgrades. Unless said: 'required' when there is a password (it never crosses in clear),
   * 'opportunistic' otherwise.
   */
  startTls?: 'required' | 'opportunistic' | 'off';
  username?: string;
  password?: string;
  /** Connections open at once; 5 unless said. */
  maxConnections?: number;
  /** Messages per second over all connections, as the provider allows; unlimited unless said. */
  ratePerSecond?: number;
  dkim?: { domain: string; selector: string /** PEM */; privateKey: string };
  fromAddress: string;
  fromName?: string;
  replyTo?: string;
  /** How long connecting, the greeting and any silence of the server may each last; 30 s unless said. */
  timeoutMs?: number;
  /** Only to accept a self-signed certificate (tests, a relay on the same host): say it explicitly. */
  tls?: { rejectUnauthorized: boolean };
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Our own Message-ID, `<ns.…@domain>`: the message is known by it in bounces, replies and logs. */
  messageId: string;
  /** Extra headers: List-Unsubscribe, List-Unsubscribe-Post… (DKIM signs both). */
  headers: Record<string, string>;
}

export interface SentEmail {
  messageId: string;
  /** The server's final reply, e.g. `250 2.0.0 Ok: queued as 4F2B1`. */
  response: string;
  accepted: string[];
}

export interface SmtpTransport {
  /** Rejects with a DeliveryError for whatever the server or the network did. */
  send(message: OutgoingEmail): Promise<SentEmail>;
  /** Connects, starts TLS and logs in as a send would, then hangs up: the "send a test" preflight. */
  verify(): Promise<void>;
  /** Closes the idle connections at once; one delivering a message closes after it. */
  close(): void;
}

/**
 * The domain of our Message-IDs: the from address's, in ASCII (a Message-ID must be). A
 * Message-ID under the sender's own domain is unique to it, and is what receivers expect.
 */
export function messageIdDomain(fromAddress: string): string {
  const address = fromAddress.trim().replace(/^.*</, '').replace(/>$/, '');
  const domain = domainToASCII(address.slice(address.lastIndexOf('@') + 1));
  if (!address.includes('@') || !domain) throw new Error(`the from address "${fromAddress}" has no valid domain`);
  return domain;
}

/** The raw error nodemailer hands back (NodemailerError, with the fields this file reads). */
interface SmtpFailure extends Error {
  code?: string;
  originalCode?: string;
  command?: string;
  response?: string;
  responseCode?: number;
}

/**
 * The credentials, or how they may be sent: 530 authentication required, 534 mechanism too weak,
 * 535 credentials refused, 538 encryption required.
 */
const AUTH_REPLIES = new Set([530, 534, 535, 538]);
/**
 * Load shed, not failure: relays answer 421 and close the connection for too many connections or
 * messages ("421 4.7.0 Try again later"), and SES answers 454 when its sending rate is exceeded
 * (elsewhere 454 is TLS or authentication being down for a while, which wants the same wait).
 * Every other 4xx (450 mailbox busy or greylisted, 451 local error, 452 out of storage) is a
 * temporary failure of the server or the mailbox: unavailable, retried later just the same.
 */
const SLOW_DOWN_REPLIES = new Set([421, 454]);
/** Failures of the way there (network, DNS, timeouts, a garbled answer), not of the message. */
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'EDNS', 'EPROXY', 'EPROTOCOL']);
/** Nothing a retry fixes: missing or refused credentials, a refused STARTTLS or certificate, bad settings. */
const SETTINGS_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ETLS', 'EREQUIRETLS', 'ECONFIG']);

/** Node's certificate verification codes (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID…). */
const isCertificateCode = (code: string | undefined) => !!code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);

/** RFC 3463 class 7, security or policy (5.7.1 relaying denied): about us, not the mailbox. */
const isPolicyReply = (response: string | undefined) => !!response && /^\d{3}[ -]5\.7\.\d{1,3}\b/.test(response);

function kindOf(answer: SmtpFailure): DeliveryFailureKind {
  const reply = answer.responseCode;
  if (reply !== undefined && reply >= 400 && reply < 500) {
    return SLOW_DOWN_REPLIES.has(reply) ? 'rate-limited' : 'unavailable';
  }
  if (reply !== undefined && AUTH_REPLIES.has(reply)) return 'needs-reconnect';
  const code = answer.code ?? '';
  if (SETTINGS_CODES.has(code) || isCertificateCode(answer.originalCode)) return 'needs-reconnect';
  if (NETWORK_CODES.has(code) || code === 'ESOCKET') return 'unavailable';
  // A 5xx to RCPT TO is the mailbox's answer (5.1.1 user unknown, 5.2.1 disabled), unless it is
  // about policy (a relay refusing us would refuse every address) or the session (503).
  if (reply !== undefined && reply >= 500 && answer.command === 'RCPT TO' && reply !== 503) {
    return isPolicyReply(answer.response) ? 'rejected' : 'recipient-refused';
  }
  return 'rejected';
}

const DOING: Record<DeliveryFailureKind, string> = {
  'rate-limited': 'asked to slow down',
  'needs-reconnect': 'the login or the secure connection failed, fix the SMTP settings',
  unavailable: 'unavailable',
  rejected: 'refused the message',
  'recipient-refused': 'refused the recipient',
};

/** Nodemailer's error as a DeliveryError; anything else (no code: a bug, not the server's answer) as it is. */
function failure(settings: SmtpSettings, error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof Error) || typeof (error as SmtpFailure).code !== 'string') return error;
  const answer = error as SmtpFailure;
  const kind = kindOf(answer);
  const said = redact(answer.response ?? answer.message, secrets);
  const detail =
    answer.code === 'ETIMEDOUT'
      ? `did not answer within ${settings.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`
      : kind === 'unavailable' && answer.responseCode === undefined
        ? `the connection failed (${said})`
        : `${DOING[kind]} (${said})`;
  return new DeliveryError('email', kind, `SMTP ${settings.host}:${settings.port}: ${detail}`, {
    status: answer.responseCode,
    code: answer.code,
    cause: scrubbed(error, secrets),
  });
}

/** The password as typed and as AUTH PLAIN and AUTH LOGIN send it, and the DKIM key. */
function secretsOf(settings: SmtpSettings): string[] {
  const { username = '', password } = settings;
  const secrets = settings.dkim ? [settings.dkim.privateKey] : [];
  if (!password) return secrets;
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  return [...secrets, password, base64(password), base64(`\0${username}\0${password}`)];
}

function startTlsOptions(settings: SmtpSettings) {
  const startTls = settings.startTls ?? (settings.password ? 'required' : 'opportunistic');
  if (settings.secure) return {};
  if (startTls === 'opportunistic') return { opportunisticTLS: true };
  return startTls === 'required' ? { requireTLS: true } : { ignoreTLS: true };
}

export function createSmtpTransport(settings: SmtpSettings): SmtpTransport {
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets = secretsOf(settings);
  const transporter = createTransport({
    pool: true,
    maxConnections: settings.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    // A connection lives until idle or dropped: a new one per 100 messages (the default) only adds handshakes.
    maxMessages: Infinity,
    rateDelta: 1000,
    ...(settings.ratePerSecond ? { rateLimit: settings.ratePerSecond } : {}),
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...startTlsOptions(settings),
    ...(settings.username || settings.password
      ? { auth: { user: settings.username ?? '', pass: settings.password ?? '' } }
      : {}),
    ...(settings.dkim
      ? {
          dkim: {
            domainName: settings.dkim.domain,
            keySelector: settings.dkim.selector,
            privateKey: settings.dkim.privateKey,
          },
        }
      : {}),
    ...(settings.tls ? { tls: { rejectUnauthorized: settings.tls.rejectUnauthorized } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Messages are strings we render; nothing in them may make nodemailer read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const from = settings.fromName ? { name: settings.fromName, address: settings.fromAddress } : settings.fromAddress;

  return {
    async send(message) {
      try {
        const info = await transporter.sendMail({
          from,
          ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          messageId: message.messageId,
          headers: message.headers,
        });
        return { messageId: info.messageId, response: info.response, accepted: info.accepted };
      } catch (error) {
        throw failure(settings, error, secrets);
      }
    },
    async verify() {
      try {
        await transporter.verify();
      } catch (error) {
        throw failure(settings, error, secrets);
      }
    },
    close: () => transporter.close(),
  };
}
