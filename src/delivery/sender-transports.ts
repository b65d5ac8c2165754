// The tenant's senders as transports: the e-mail sender over nodemailer's pooled SMTP, the SMS
// sender over Twilio's REST API. Secrets are decrypted here, used, and never returned or logged.

import type { EmailSenderInput, SmsSenderInput } from '../contract/senders.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { SqlSession } from '../db/port.ts';
import { type SenderRow, sendersOf } from '../db/repositories/delivery-senders.ts';
import { createSmtpTransport, messageIdDomain } from './smtp-transport.ts';
import type { MessageTransport } from './transport.ts';
import { createTwilioClient } from './twilio-client.ts';

/** What message_senders.secrets holds, encrypted. */
export interface SenderSecrets {
  password?: string;
  dkim_private_key?: string;
  auth_token?: string;
}

export type EmailSettings = Omit<EmailSenderInput, 'password' | 'dkim'> & {
  dkim?: { domain: string; selector: string };
};
export type SmsSettings = Omit<SmsSenderInput, 'auth_token'>;

export interface TransportDeps {
  cipher: TokenCipher;
  /** Twilio's API (https://api.twilio.com unless configured). */
  twilioBaseUrl: string;
  /** Each provider call's timeout; 30 s unless set. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function secretsOf(row: SenderRow, cipher: TokenCipher): SenderSecrets {
  return JSON.parse(cipher.decrypt(row.secrets)) as SenderSecrets;
}

function emailTransport(settings: EmailSettings, secrets: SenderSecrets, deps: TransportDeps): MessageTransport {
  const smtp = createSmtpTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    startTls: settings.security === 'starttls' ? 'required' : settings.security === 'tls' ? undefined : 'off',
    ...(settings.username ? { username: settings.username, password: secrets.password ?? '' } : {}),
    maxConnections: settings.max_connections,
    ...(settings.rate_per_second ? { ratePerSecond: settings.rate_per_second } : {}),
    ...(settings.dkim && secrets.dkim_private_key
      ? {
          dkim: {
            domain: settings.dkim.domain,
            selector: settings.dkim.selector,
            privateKey: secrets.dkim_private_key,
          },
        }
      : {}),
    fromAddress: settings.from_address,
    ...(settings.from_name ? { fromName: settings.from_name } : {}),
    ...(settings.reply_to ? { replyTo: settings.reply_to } : {}),
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
  });
  return {
    channel: 'email',
    concurrency: settings.max_connections,
    async send(message) {
      const sent = await smtp.send({
        to: message.to,
        subject: message.subject ?? '',
        html: message.html ?? '',
        text: message.text,
        messageId: message.messageIdHeader ?? `<${message.id}@${messageIdDomain(settings.from_address)}>`,
        headers: message.headers ?? {},
      });
      return { providerId: sent.messageId };
    },
    // SMTP has no way to ask whether a message arrived (docs/delivery.md, "Exactly once").
    findSent: () => Promise.resolve('unknowable'),
    close: async () => smtp.close(),
  };
}

function smsTransport(settings: SmsSettings, secrets: SenderSecrets, deps: TransportDeps): MessageTransport {
  const twilio = createTwilioClient({
    baseUrl: deps.twilioBaseUrl,
    accountSid: settings.account_sid,
    authToken: secrets.auth_token ?? '',
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
  });
  const from = settings.from_number;
  return {
    channel: 'sms',
    concurrency: settings.max_in_flight,
    async send(message) {
      const sent = await twilio.sendMessage({
        to: message.to,
        ...(from ? { from } : { messagingServiceSid: settings.messaging_service_sid }),
        body: message.text,
        ...(message.statusCallback ? { statusCallback: message.statusCallback } : {}),
      });
      return { providerId: sent.sid };
    },
    async findSent(message, claimedAt) {
      // A Messaging Service picks the number itself: without one to ask by, Twilio cannot be asked.
      if (!from) return 'unknowable';
      const found = await twilio.findMessage({ to: message.to, from, sentAfter: claimedAt, body: message.text });
      return found?.sid;
    },
    close: () => Promise.resolve(),
  };
}

/**
 * A stored sender as a transport, whichever its channel: what the delivery worker and "send a test
 * message" both build. Its settings are as saved, which the senders contract checked.
 */
export function senderTransport(row: SenderRow, deps: TransportDeps): MessageTransport {
  const secrets = secretsOf(row, deps.cipher);
  return row.channel === 'email'
    ? emailTransport(row.settings as EmailSettings, secrets, deps)
    : smsTransport(row.settings as SmsSettings, secrets, deps);
}

export interface TenantTransports {
  transports: Partial<Record<'email' | 'sms', MessageTransport>>;
  email?: EmailSettings;
  sms?: SmsSettings;
}

/** The tenant's active senders as transports; a sender that needs attention or is disabled gives none. */
export async function tenantTransports(
  s: SqlSession,
  tenantId: string,
  deps: TransportDeps,
): Promise<TenantTransports> {
  const result: TenantTransports = { transports: {} };
  for (const row of await sendersOf(s, tenantId)) {
    if (row.status !== 'active') continue;
    result.transports[row.channel] = senderTransport(row, deps);
    if (row.channel === 'email') result.email = row.settings as EmailSettings;
    else result.sms = row.settings as SmsSettings;
  }
  return result;
}

export async function closeTransports(transports: TenantTransports['transports']): Promise<void> {
  await Promise.all(Object.values(transports).map((t) => t.close()));
}
