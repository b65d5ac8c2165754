// A contact's fields as the API accepts them, and the bulk import's reading of rows: JSON rows or
// CSV lines (csv-parse; a header row names the columns, unknown columns become attributes), each
// validated on its own by the same row schema, so a report can name every bad row and field.
// Nothing here writes: the route decides, by on_error, whether any row is written.
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { CONTACT_TEXT_COLUMNS, type ContactImportRow } from '../db/repositories/contacts.ts';
import type { FieldError } from '../domain/errors.ts';
import { isTimeZone } from '../domain/time-zone.ts';
import { invalid, ProblemError } from '../server/problem.ts';

export const MAX_IMPORT_ROWS = 10_000;
export const CONTACT_STATUSES = ['active', 'unsubscribed', 'bounced'] as const;

/** The columns a CSV header may name (the contact's text columns); any other column is an attribute. */
const CONTACT_COLUMNS: readonly string[] = CONTACT_TEXT_COLUMNS;

/** Optional text: trimmed, and an empty string means no value (spreadsheets leave cells empty). */
const optional = (text: z.ZodType<string, string>) =>
  text
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();

const plainText = (max: number) => optional(z.string().trim().max(max));

const isPhone = (value: string) => /^\+?[\d\s().-]{5,40}$/.test(value) && (value.match(/\d/g)?.length ?? 0) >= 5;

const attributeKey = z.string().min(1).max(100);
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

/** The row as the OpenAPI document shows it (attributes without the recursive JSON type). */
export const contactRowDocument = z
  .strictObject({ ...contactFields, attributes: z.record(attributeKey, z.unknown()).optional() })
  .describe('A contact: email or phone is required');

const { $schema: _, ...rowJsonSchema } = z.toJSONSchema(contactRowDocument, { target: 'draft-2020-12', io: 'input' });

export const importJsonBody = z.strictObject({
  contacts: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS).meta({
    description: 'The rows; each is validated on its own (see on_error)',
    items: rowJsonSchema,
  }),
});

export const importCsvBody = z
  .string()
  .describe(
    `CSV with a header row. Columns ${CONTACT_COLUMNS.join(', ')}; any other column is stored in attributes. ` +
      `At most ${MAX_IMPORT_ROWS} data rows.`,
  );

/** A row as read: its 1-based data row number and the value to validate. */
interface RawRow {
  row: number;
  value: unknown;
}

export interface Rejection {
  /** 1-based number of the data row (the header of a CSV is not counted). */
  row: number;
  field: string;
  message: string;
}

export interface ImportPlan {
  accepted: ContactImportRow[];
  rejected: Rejection[];
  /** The problem's field errors for the rejections, named as the request names the rows. */
  errors: FieldError[];
}

type Format = 'json' | 'csv';

export function rowsFromJson(contacts: unknown[]): RawRow[] {
  return contacts.map((value, index) => ({ row: index + 1, value }));
}

/** CSV text to rows keyed by column; a structural error (an unclosed quote, a short line) is a 400. */
export function rowsFromCsv(text: string): RawRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      const where = line === undefined ? 'body' : `line ${line}`;
      throw new ProblemError(400, `the CSV is malformed at ${where}: ${error.message}`, {
        errors: [{ field: where, in: 'body', message: error.message }],
      });
    }
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw invalid([{ field: 'body', in: 'body', message: 'expects a header row and data rows' }]);
  const columns = csvColumns(header);
  if (data.length === 0) throw invalid([{ field: 'body', in: 'body', message: 'has a header row but no data rows' }]);
  if (data.length > MAX_IMPORT_ROWS) {
    throw invalid([{ field: 'body', in: 'body', message: `at most ${MAX_IMPORT_ROWS} data rows, got ${data.length}` }]);
  }
  return data.map((record, index) => {
    const value: Record<string, unknown> = {};
    const extra: Record<string, string> = {};
    record.forEach((cell, i) => {
      const column = columns[i]!;
      if (column.known) value[column.name] = cell;
      else if (cell.trim() !== '') extra[column.name] = cell.trim();
    });
    if (Object.keys(extra).length > 0) value.attributes = extra;
    return { row: index + 1, value };
  });
}

/** The header's columns: a known column matched case-insensitively, others kept as written. */
function csvColumns(header: string[]): { name: string; known: boolean }[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const columns = header.map((cell, i) => {
    const trimmed = cell.trim();
    const lower = trimmed.toLowerCase();
    const known = CONTACT_COLUMNS.includes(lower);
    const name = known ? lower : trimmed;
    if (name === '') errors.push({ field: `header.${i + 1}`, in: 'body', message: 'a column has no name' });
    else if (seen.has(name)) errors.push({ field: `header.${name}`, in: 'body', message: 'the column appears twice' });
    seen.add(name);
    return { name, known };
  });
  if (!seen.has('email') && !seen.has('phone')) {
    errors.push({ field: 'header', in: 'body', message: 'needs an email or a phone column' });
  }
  if (errors.length > 0) throw invalid(errors);
  return columns;
}

/** Validates each row, then flags a later row repeating an earlier row's email (or, without one, phone). */
export function planImport(rows: RawRow[], format: Format): ImportPlan {
  const accepted: ContactImportRow[] = [];
  const rejected: Rejection[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, value } of rows) {
    const parsed = contactRow.safeParse(value);
    if (!parsed.success) {
      rejected.push(...rowIssues(row, parsed.error, format));
      continue;
    }
    const contact = parsed.data;
    const [field, key] = contact.email
      ? ['email', `e:${contact.email.toLowerCase()}`]
      : ['phone', `p:${contact.phone}`];
    const earlier = firstRowOf.get(key);
    if (earlier !== undefined) {
      rejected.push({ row, field, message: `repeats the ${field} of row ${earlier}` });
      continue;
    }
    firstRowOf.set(key, row);
    accepted.push({
      email: contact.email ?? null,
      phone: contact.phone ?? null,
      first_name: contact.first_name ?? null,
      last_name: contact.last_name ?? null,
      company: contact.company ?? null,
      job_title: contact.job_title ?? null,
      timezone: contact.timezone ?? null,
      // An import never removes data: a null attribute, like an empty cell, is no value.
      attributes: Object.fromEntries(Object.entries(contact.attributes ?? {}).filter(([, v]) => v !== null)),
    });
  }
  return { accepted, rejected, errors: rejected.map((r) => fieldError(r, format)) };
}

function rowIssues(row: number, error: z.ZodError, format: Format): Rejection[] {
  return error.issues.flatMap((issue) => {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    const message =
      issue.code === 'unrecognized_keys'
        ? 'is not a contact field (custom fields go in attributes)'
        : format === 'json' && issue.path.length === 0
          ? 'expects a contact object'
          : issue.message;
    return paths.map((path) => ({ row, field: fieldName(path, format), message }));
  });
}

/** A CSV attribute is named by its column; a JSON one by its path. */
function fieldName(path: PropertyKey[], format: Format): string {
  if (path.length === 0) return 'row';
  if (format === 'csv' && path[0] === 'attributes' && path.length > 1) return String(path[1]);
  return path.map(String).join('.');
}

function fieldError(rejection: Rejection, format: Format): FieldError {
  const where = format === 'json' ? `contacts.${rejection.row - 1}` : `row ${rejection.row}`;
  const field = rejection.field === 'row' ? where : `${where}.${rejection.field}`;
  return { field, in: 'body', message: rejection.message };
}
