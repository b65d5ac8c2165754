// Field schemas shared by the routes, matching the columns' own checks so a value the API accepts
// is one the database stores (the CHECK constraints stay as the last line).
import { z } from 'zod';

/** The answers' primitives (src/contract/fields.ts); requests take them too. */
export { isoDate, timestamp, uuid } from '../contract/fields.ts';
export const idParams = z.strictObject({ id: z.uuid() });

/** Money: numeric(14, 2) holds up to 999,999,999,999.99. */
export const money = z.number().min(0).max(999_999_999_999.99).multipleOf(0.01);
export const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const channel = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'expects a lowercase channel name like email or meta_ads');
export const currency = z.string().regex(/^[A-Z]{3}$/, 'expects an ISO 4217 code like USD');
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expects lowercase letters, digits and dashes');
export const isoDateTime = z.iso.datetime({ offset: true });
export const httpUrl = z.url({ protocol: /^https?$/, message: 'expects an http(s) URL' }).max(2000);
/** An IANA time zone name, as Intl (and so the schedules' cron reader) knows it. */
export { timeZone } from '../domain/time-zone.ts';
export const shortText = (max: number) => z.string().trim().min(1).max(max);

/** A query flag: `true` or `false` (a query string has no booleans). */
export const queryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');
