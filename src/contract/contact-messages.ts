// A contact's history as the API shows it (GET /api/contacts/{id}/messages) and the dashboard's
// contact drawer reads it: each message the delivery worker recorded for the contact, with its
// campaign, step and variant, and what became of it.
import { z } from 'zod';
import { MESSAGE_CHANNELS, MESSAGE_STATUSES } from './delivery-vocabulary.ts';
import { timestamp, uuid } from './fields.ts';

const when = (what: string) => timestamp.nullable().describe(what);

export const contactMessageRecord = z.object({
  id: uuid,
  campaign_id: uuid,
  campaign_title: z.string(),
  step_index: z.number().int().min(0).describe('The step of the campaign’s sequence, from 0'),
  step_name: z.string().describe('The content asset that is the step'),
  variant_label: z.string(),
  channel: z.enum(MESSAGE_CHANNELS),
  to_address: z.string().describe('The e-mail address or phone number it went to'),
  status: z.enum(MESSAGE_STATUSES),
  error: z.string().nullable().describe('The provider’s words when it was refused or failed'),
  queued_at: timestamp.describe('When the delivery worker took it up'),
  sent_at: when('When the SMTP server or Twilio accepted it'),
  delivered_at: when('When the provider reported it delivered (Twilio)'),
  opened_at: when('First open'),
  clicked_at: when('First click'),
  replied_at: when('First reply'),
  bounced_at: when('When it bounced'),
  unsubscribed_at: when('When its recipient unsubscribed or replied STOP from it'),
  complained_at: when('When its recipient reported it as spam'),
});
export type ContactMessageRecord = z.output<typeof contactMessageRecord>;
