// IANA time zones, as Intl knows them: tenants' reporting zones and schedules' zones.
import { z } from 'zod';

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z.string().refine(isTimeZone, { message: 'expects an IANA time zone like Europe/Berlin' });
