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

/** POST /api/contacts/import's answer: what was written, and every bad row with its field and why. */
export const contactImportReport = z.object({
  imported: z.number().int().describe('Contacts created'),
  updated: z.number().int().describe('Existing contacts matched (by email, or by phone for a row without email)'),
  rejected: z.array(
    z.object({
      row: z.number().int().describe('1-based data row (a CSV header is not counted)'),
      field: z.string(),
      message: z.string(),
    }),
  ),
  segment_id: uuid.optional(),
  added_to_segment: z.number().int().describe('Contacts that became members of segment_id (not members before)'),
});
export type ContactImportReport = z.output<typeof contactImportReport>;
