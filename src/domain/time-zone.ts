// IANA time zones, as Intl knows them: tenants' reporting zones, schedules' and contacts' zones.
import { z } from 'zod';

/**
 * A zone name Intl knows, spelled as IANA spells one (a letter first, slash-separated segments).
 * The spelling holds the rule steady across engines: ECMA-402 lets Intl accept UTC offsets such
 * as "+01:00", which are not zone names (and which Postgres reads POSIX-style, sign reversed).
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z.string().refine(isTimeZone, { message: 'expects an IANA time zone like Europe/Berlin' });
