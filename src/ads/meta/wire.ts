// Reading Meta's answers field by field. Numbers stay the strings Meta sent, checked for shape:
// budgets are integers in the account currency's minor units ("5000"), insights amounts decimals
// ("5339.5"), counts integers ("361324"). A field of the wrong shape refuses the whole answer
// rather than letting a guess through.
import { MetaRejectedError } from './errors.ts';

export type WireRecord = Record<string, unknown>;

const DIGITS = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;

export function isRecord(value: unknown): value is WireRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const malformed = (what: string) => new MetaRejectedError(`answered a malformed ${what}`);

/** `act_<digits>` from "act_123" or "123". */
export function adAccountNode(accountId: string): string {
  const digits = typeof accountId === 'string' ? accountId.replace(/^act_/, '') : '';
  if (!DIGITS.test(digits)) throw new MetaRejectedError(`"${String(accountId).slice(0, 40)}" is not an ad account id`);
  return `act_${digits}`;
}

/** A campaign's or ad set's id: digits only, so it can be put in a path as it is. */
export function objectNode(id: string): string {
  if (typeof id !== 'string' || !DIGITS.test(id)) {
    throw new MetaRejectedError(`"${String(id).slice(0, 40)}" is not a campaign or ad set id`);
  }
  return id;
}

/** The `data` array of a list answer. */
export function dataOf(body: unknown, what: string): WireRecord[] {
  const data = isRecord(body) ? body.data : undefined;
  if (!Array.isArray(data) || !data.every(isRecord)) throw malformed(`list of ${what}`);
  return data;
}

/** The absolute URL of the next page, or undefined on the last one. */
export function nextOf(body: unknown): string | undefined {
  const paging = isRecord(body) ? body.paging : undefined;
  const next = isRecord(paging) ? paging.next : undefined;
  return typeof next === 'string' && next ? next : undefined;
}

export function text(record: WireRecord, field: string, what: string): string {
  const value = record[field];
  if (typeof value !== 'string' || !value) throw malformed(`${what} (${field})`);
  return value;
}

export function optionalText(record: WireRecord, field: string, what: string): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw malformed(`${what} (${field})`);
  return value;
}

/** A budget in minor units, as Meta sent it; null when the object has none (its budget lives elsewhere). */
export function minorUnits(record: WireRecord, field: string, what: string): string | null {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !DIGITS.test(value)) throw malformed(`${what} (${field})`);
  return value;
}

/** A count ("361324") or decimal amount ("5339.5"); "0" when Meta left it out, as it does for nothing. */
export function figure(value: unknown, kind: 'count' | 'decimal', what: string): string {
  if (value === undefined || value === null) return '0';
  if (typeof value !== 'string' || !(kind === 'count' ? DIGITS : DECIMAL).test(value)) throw malformed(what);
  return value;
}
