// How a tenant sends (docs/delivery.md): an SMTP server for e-mail, a Twilio account for SMS. What
// the senders API takes and answers. Secrets (the SMTP password, the DKIM key, Twilio's auth token)
// go in and never come out: an answer says whether one is set.
import { z } from 'zod';
import { E164, EXPECTED_ADDRESS } from '../domain/message-address.ts';
import { timestamp, uuid } from './fields.ts';

export const SENDER_CHANNELS = ['email', 'sms'] as const;
export type SenderChannel = (typeof SENDER_CHANNELS)[number];

const hostName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]+\]$/, 'expects a host name or an address like smtp.example.com');
const emailAddress = z.email({ message: EXPECTED_ADDRESS.email }).max(320);
const e164 = z.string().regex(E164, EXPECTED_ADDRESS.sms);

const dkim = z.strictObject({
  domain: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'expects the signing domain, like example.com'),
  selector: z.string().regex(/^[A-Za-z0-9._-]{1,63}$/, 'expects the DNS selector, like nightshift'),
  private_key: z
    .string()
    .regex(/-----BEGIN (RSA )?PRIVATE KEY-----/, 'expects a PEM private key')
    .max(10_000)
    .optional()
    .describe('PEM; left out when changing other settings, the stored key stays'),
});

export const emailSenderInput = z.strictObject({
  host: hostName,
  port: z.number().int().min(1).max(65535).default(587),
  security: z
    .enum(['starttls', 'tls', 'none'])
    .default('starttls')
    .describe('starttls: upgrade on port 587 (required); tls: implicit TLS on 465; none: plain, for a local relay'),
  username: z.string().max(320).optional(),
  password: z.string().max(1000).optional().describe('Left out when changing other settings, the stored one stays'),
  from_address: emailAddress,
  from_name: z.string().trim().max(200).optional(),
  reply_to: emailAddress.optional().describe('Where replies go; the inbound address when replies are tracked'),
  max_connections: z.number().int().min(1).max(50).default(5),
  rate_per_second: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe('Messages per second, at most; unlimited when left out'),
  dkim: dkim.optional(),
  track_opens: z.boolean().default(true),
  track_clicks: z.boolean().default(true),
});
export type EmailSenderInput = z.output<typeof emailSenderInput>;

export const smsSenderInput = z
  .strictObject({
    account_sid: z.string().regex(/^AC[0-9a-f]{32}$/, 'expects a Twilio Account SID like AC followed by 32 hex digits'),
    auth_token: z
      .string()
      .regex(/^[0-9A-Za-z]{16,128}$/, 'expects a Twilio auth token')
      .optional()
      .describe('Left out when changing other settings, the stored one stays'),
    from_number: e164.optional(),
    messaging_service_sid: z
      .string()
      .regex(/^MG[0-9a-f]{32}$/, 'expects a Messaging Service SID like MG followed by 32 hex digits')
      .optional(),
    max_in_flight: z.number().int().min(1).max(100).default(4),
    quiet_hours: z
      .strictObject({
        start_hour: z.number().int().min(0).max(23),
        end_hour: z.number().int().min(0).max(23),
      })
      .default({ start_hour: 21, end_hour: 8 })
      .describe("No SMS between these hours in the contact's time zone (the tenant's when the contact has none)"),
  })
  .refine((v) => v.from_number !== undefined || v.messaging_service_sid !== undefined, {
    message: 'expects from_number or messaging_service_sid',
    path: ['from_number'],
  });
export type SmsSenderInput = z.output<typeof smsSenderInput>;

export const senderRecord = z.object({
  id: uuid,
  channel: z.enum(SENDER_CHANNELS),
  settings: z.record(z.string(), z.unknown()).describe('As saved, without the secrets'),
  secrets_set: z.array(z.string()).describe('Which secrets are stored (password, dkim_private_key, auth_token)'),
  status: z.enum(['active', 'needs_attention', 'disabled']),
  last_error: z.string().nullable().describe('The provider’s words when it last refused the credentials'),
  tested_at: timestamp.nullable(),
  test_result: z.string().nullable(),
  updated_at: timestamp,
});
export type SenderRecord = z.output<typeof senderRecord>;

export const senderList = z.object({
  data: z.array(senderRecord),
  inbound_mail_url: z
    .string()
    .describe('Where the tenant’s mail server posts inbound mail (replies, bounces); signed, so only it can'),
});
export type SenderList = z.output<typeof senderList>;

export const senderTestInput = z.strictObject({
  to: z.string().trim().min(3).max(320).describe('An e-mail address (e-mail sender) or an E.164 number (SMS sender)'),
});

export const senderTestResult = z.object({
  ok: z.boolean(),
  provider_id: z.string().nullable().describe('The Message-ID or Twilio SID of the test message'),
  detail: z.string(),
});
export type SenderTestResult = z.output<typeof senderTestResult>;
