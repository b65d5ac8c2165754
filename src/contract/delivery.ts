// What delivery reports (docs/delivery.md): a campaign's funnel and its steps' variants as sent,
// and the tenant's suppression list. The dashboard's Delivery section, Contacts tab and the API.
import { z } from 'zod';
import { MESSAGE_CHANNELS, SUPPRESSION_REASONS } from './delivery-vocabulary.ts';
import { timestamp, uuid } from './fields.ts';

const recipients = (what: string) => z.number().int().min(0).describe(what);

/**
 * Each recipient counts once per stage it reached: a recipient's furthest point is the furthest
 * of any of its messages (sent, delivered, opened, clicked, replied, in that order) or of its
 * recorded status, and it counts in that stage and every stage before it. Bounced and
 * unsubscribed are exits, counted beside the rest.
 */
export const deliveryFunnel = z
  .object({
    queued: recipients('Every recipient of the campaign (each is queued when the campaign launches)'),
    sent: recipients('Recipients at least one message to whom went out (accepted by the SMTP server or Twilio)'),
    delivered: recipients(
      'Recipients a message to whom is known to have arrived: reported delivered (Twilio), or opened, clicked or replied to',
    ),
    opened: recipients('Recipients who opened a message, or went further (clicked, replied)'),
    clicked: recipients('Recipients who clicked a link in a message, or replied'),
    replied: recipients('Recipients who replied to a message'),
    bounced: recipients(
      'Recipients a message to whom bounced: refused for good when sent, or reported back as a bounce',
    ),
    unsubscribed: recipients('Recipients who unsubscribed, replied STOP or complained'),
  })
  .describe('Recipients by the furthest stage they reached; each counts in its stage and every stage before it');
export type DeliveryFunnel = z.output<typeof deliveryFunnel>;

const messages = (what: string) => z.number().int().min(0).describe(what);

export const deliveryVariant = z.object({
  variant_id: uuid,
  label: z.string(),
  status: z.enum(['active', 'killed']).describe('A killed variant gets no more messages'),
  sends: messages('Messages of this variant that went out'),
  delivered: messages('Of those, reported delivered by the provider (Twilio; SMTP reports no delivery)'),
  opens: messages('Messages opened (each counts once)'),
  clicks: messages('Messages with a link clicked (each counts once)'),
  replies: messages('Messages replied to'),
  bounces: messages('Messages that bounced (refused when sent, or reported back)'),
  unsubscribes: messages('Messages whose recipient unsubscribed, replied STOP or complained from it'),
});
export type DeliveryVariant = z.output<typeof deliveryVariant>;

export const deliveryStep = z.object({
  step_index: z.number().int().min(0),
  asset_id: uuid,
  name: z.string().describe('The content asset that is the step'),
  channel: z.enum(MESSAGE_CHANNELS),
  variants: z.array(deliveryVariant).describe('Every variant of the step, those that sent nothing too'),
});
export type DeliveryStep = z.output<typeof deliveryStep>;

export const campaignDelivery = z.object({
  funnel: deliveryFunnel,
  steps: z
    .array(deliveryStep)
    .describe(
      'The campaign’s steps in order: its active e-mail and SMS assets, and any other asset messages went out for',
    ),
});
export type CampaignDelivery = z.output<typeof campaignDelivery>;

export const suppressionRecord = z.object({
  channel: z.enum(MESSAGE_CHANNELS),
  address: z.string().describe('A lower-cased e-mail address, or an E.164 phone number'),
  reason: z.enum(SUPPRESSION_REASONS),
  message_id: uuid.nullable().describe('The message that led to it, when one did'),
  note: z.string().nullable(),
  created_at: timestamp,
});
export type SuppressionRecord = z.output<typeof suppressionRecord>;

export const suppressionList = z.object({
  data: z.array(suppressionRecord),
  next_offset: z.number().int().nullable().describe('The offset of the next page; null on the last'),
});
export type SuppressionList = z.output<typeof suppressionList>;

export const contactSuppressions = z.object({
  data: z.array(suppressionRecord).describe('The entries of the contact’s e-mail address and phone number'),
});
export type ContactSuppressions = z.output<typeof contactSuppressions>;

export const suppressionInput = z.strictObject({
  channel: z.enum(MESSAGE_CHANNELS),
  address: z
    .string()
    .trim()
    .min(3)
    .max(320)
    .describe('An e-mail address (channel email) or an E.164 phone number like +14155550100 (channel sms)'),
  note: z.string().trim().max(500).optional(),
});
export type SuppressionInput = z.output<typeof suppressionInput>;
