// What goes into a GAQL query or a resource name is checked first: ids are digits, dates are
// calendar dates. Nothing a caller passes is spliced into a query unchecked.
import { GoogleAdsRejectedError } from './errors.ts';

/** A customer id as Google writes it in URLs: 123-456-7890 → 1234567890. */
export function customerIdOf(id: string): string {
  const digits = id.replaceAll('-', '').trim();
  if (!/^\d{1,20}$/.test(digits))
    throw new GoogleAdsRejectedError(`the customer id ${JSON.stringify(id)} is not a number`);
  return digits;
}

/** A campaign or budget id (int64, as a string). */
export function resourceIdOf(what: string, id: string): string {
  if (!/^\d{1,20}$/.test(id)) throw new GoogleAdsRejectedError(`the ${what} id ${JSON.stringify(id)} is not a number`);
  return id;
}

/** YYYY-MM-DD, a real date. */
export function dateOf(what: string, date: string): string {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  const valid = Number.isFinite(time) && new Date(time).toISOString().startsWith(date);
  if (!valid) throw new GoogleAdsRejectedError(`the ${what} date ${JSON.stringify(date)} is not a date (YYYY-MM-DD)`);
  return date;
}

/** `(1, 2, 3)`, for `IN`. */
export function idList(what: string, ids: readonly string[]): string {
  return `(${ids.map((id) => resourceIdOf(what, id)).join(', ')})`;
}
