// A contact as the API shows it (/api/contacts) and the dashboard's Contacts tab reads it.
import { z } from 'zod';
import { CONTACT_STATUSES } from './contact-vocabulary.ts';
import { timestamp, uuid } from './fields.ts';

export const contactRecord = z.object({
  id: uuid,
  email: z.string().nullable(),
  phone: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  company: z.string().nullable(),
  job_title: z.string().nullable(),
  timezone: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  status: z.enum(CONTACT_STATUSES),
  created_at: timestamp,
  updated_at: timestamp,
});
export type ContactRecord = z.output<typeof contactRecord>;
