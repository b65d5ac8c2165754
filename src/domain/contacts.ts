// A contact's fields as Nightshift accepts them, from the API's body or an import's row: each
// validated by the same rules, and the database's own rule that a contact can be reached.
import { z } from 'zod';
import { isTimeZone } from './time-zone.ts';

export { CONTACT_STATUSES } from '../contract/contact-vocabulary.ts';

/** The contact's text columns, in the order a table shows them. */
export const CONTACT_TEXT_COLUMNS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'company',
  'job_title',
  'timezone',
] as const;

export type ContactTextColumn = (typeof CONTACT_TEXT_COLUMNS)[number];

/** Optional text: trimmed, and an empty string means no value (spreadsheets leave cells empty). */
const optional = (text: z.ZodType<string, string>) =>
  text
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();

const plainText = (max: number) => optional(z.string().trim().max(max));

const isPhone = (value: string) => /^\+?[\d\s().-]{5,40}$/.test(value) && (value.match(/\d/g)?.length ?? 0) >= 5;

export const attributeKey = z.string().min(1).max(100);
const MAX_ATTRIBUTES = 100;
const tooMany = { message: `at most ${MAX_ATTRIBUTES} attributes` };

/** Custom fields: any JSON value under a short key. */
export const attributes = z
  .record(attributeKey, z.json())
  .refine((record) => Object.keys(record).length <= MAX_ATTRIBUTES, tooMany);

/** A change to the custom fields: the keys given are set, a key set to null is removed. */
export const attributesPatch = attributes;

export const contactFields = {
  email: optional(
    z
      .string()
      .trim()
      .max(320)
      .refine((value) => value === '' || z.regexes.email.test(value), 'expects an email address'),
  ),
  phone: optional(
    z
      .string()
      .trim()
      .refine((value) => value === '' || isPhone(value), 'expects a phone number like +1 555 010 0199'),
  ),
  first_name: plainText(200),
  last_name: plainText(200),
  company: plainText(300),
  job_title: plainText(300),
  timezone: optional(
    z
      .string()
      .trim()
      .refine((value) => value === '' || isTimeZone(value), 'expects an IANA time zone like Europe/Paris'),
  ),
};

/** The database's own rule: a contact is reachable by email or phone. */
export const reachable = (contact: { email?: string | null; phone?: string | null }) =>
  Boolean(contact.email) || Boolean(contact.phone);
export const unreachableIssue = { message: 'a contact needs an email or a phone', path: ['email'] };

/** One row of an import (JSON or CSV): a new contact, or fields for the one with its email. */
export const contactRow = z
  .strictObject({ ...contactFields, attributes: attributes.optional() })
  .refine(reachable, unreachableIssue);
