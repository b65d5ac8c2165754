// Where a tenant's events go (docs/notifications.md): what the notifications API takes and answers.
// Secrets (a Slack webhook URL, Slack's signing secret, a webhook's signing secret) go in and never
// come out, but for a webhook's signing secret, answered once when it is made or rolled.
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';
import { CADENCES, DELIVERY_STATUSES, DESTINATION_KINDS, NOTIFICATION_EVENT_TYPES } from './notification-vocabulary.ts';
import { pageSchema } from './page.ts';

export {
  CADENCES,
  type Cadence,
  DELIVERY_STATUSES,
  DESTINATION_KINDS,
  type DestinationKind,
} from './notification-vocabulary.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** An https URL (http only to this machine, for a relay or a test receiver). */
export const destinationUrl = z
  .url({ message: 'expects a URL like https://example.com/hooks/nightshift' })
  .max(2000)
  .refine(
    (value) => {
      // Zod runs this check on a value the URL check refused too: that one says what is wrong.
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
    },
    { message: 'expects an https URL (http only to 127.0.0.1 or localhost)' },
  );

export const subscription = z.strictObject({
  event_type: z.enum(NOTIFICATION_EVENT_TYPES),
  cadence: z.enum(CADENCES).default('immediate').describe('At once, or gathered into an hourly or daily digest'),
});
export type Subscription = z.output<typeof subscription>;

const subscriptions = z
  .array(subscription)
  .max(NOTIFICATION_EVENT_TYPES.length)
  .refine((list) => new Set(list.map((s) => s.event_type)).size === list.length, {
    message: 'names an event type twice',
  });

const name = z.string().trim().min(1).max(200);

const slackInput = z.strictObject({
  kind: z.literal('slack'),
  name,
  webhook_url: destinationUrl
    .optional()
    .describe('The incoming webhook’s URL (a secret); left out when changing other settings, the stored one stays'),
  signing_secret: z
    .string()
    .regex(/^[0-9a-f]{16,128}$/, 'expects the Slack app’s signing secret (hex)')
    .optional()
    .describe('The Slack app’s signing secret, for the Approve and Dismiss buttons; left out, the stored one stays'),
  subscriptions,
});

const emailInput = z.strictObject({
  kind: z.literal('email'),
  name,
  addresses: z
    .array(z.email({ message: 'expects an e-mail address like ops@example.com' }).max(320))
    .min(1)
    .max(20)
    .describe('Sent through the tenant’s e-mail sender; each address gets its own message and links'),
  subscriptions,
});

const webhookInput = z.strictObject({
  kind: z.literal('webhook'),
  name,
  url: destinationUrl,
  subscriptions: subscriptions.refine((list) => list.every((s) => s.cadence === 'immediate'), {
    message: 'a webhook takes each event at once (cadence immediate)',
  }),
});

export const destinationInput = z.discriminatedUnion('kind', [slackInput, emailInput, webhookInput]);
export type DestinationInput = z.output<typeof destinationInput>;

export const destinationRecord = z.object({
  id: uuid,
  kind: z.enum(DESTINATION_KINDS),
  name: z.string(),
  settings: z
    .record(z.string(), z.unknown())
    .describe('As saved, without secrets: addresses (e-mail), url (webhook), webhook_host (Slack)'),
  secrets_set: z.array(z.string()).describe('Which secrets are stored (webhook_url, signing_secret)'),
  subscriptions: z.array(z.object({ event_type: z.enum(NOTIFICATION_EVENT_TYPES), cadence: z.enum(CADENCES) })),
  status: z.enum(['active', 'disabled']),
  disabled_reason: z.string().nullable(),
  failing_since: timestamp.nullable().describe('Since when every attempt has failed; null after a success'),
  consecutive_failures: z.number().int(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type DestinationRecord = z.output<typeof destinationRecord>;

export const destinationCreated = destinationRecord.extend({
  signing_secret: z
    .string()
    .optional()
    .describe('A webhook’s signing secret, answered this once: verify Nightshift-Signature with it'),
});

export const destinationList = z.object({ data: z.array(destinationRecord) });

export const destinationTestResult = z.object({
  ok: z.boolean(),
  response_status: z.number().int().nullable(),
  latency_ms: z.number().int(),
  detail: z.string(),
});
export type DestinationTestResult = z.output<typeof destinationTestResult>;

export const deliveryRecord = z.object({
  id: uuid,
  destination_id: uuid,
  event_id: uuid.describe('The envelope’s id: receivers dedupe on it'),
  event_type: z.enum(NOTIFICATION_EVENT_TYPES),
  cadence: z.enum(CADENCES),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  next_attempt_at: timestamp.nullable().describe('When it is tried (again); null once delivered, failed or cancelled'),
  last_attempt_at: timestamp.nullable(),
  response_status: z.number().int().nullable(),
  latency_ms: z.number().int().nullable(),
  error: z.string().nullable(),
  delivered_at: timestamp.nullable(),
  created_at: timestamp,
});
export type DeliveryRecord = z.output<typeof deliveryRecord>;

export const deliveryPage = pageSchema(deliveryRecord);
