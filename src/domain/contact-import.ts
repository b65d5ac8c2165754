// The bulk import's reading of rows: JSON rows or CSV lines (csv-parse; a header row names the
// columns, unknown columns become attributes), each validated on its own by the same row schema,
// so a report can name every bad row and field, and a later row repeating an earlier one's email
// (or phone) is that row's error. Nothing here writes: src/services/contacts.ts decides, by
// on_error, whether any row is written.
import { CsvError, parse } from 'csv-parse/sync';
import type { z } from 'zod';
import type { FieldError } from '../contract/problem.ts';
import { CONTACT_TEXT_COLUMNS, type ContactTextColumn, contactRow } from './contacts.ts';
import { InvalidInputError, MalformedInputError } from './errors.ts';

export const MAX_IMPORT_ROWS = 10_000;

/** The columns a CSV header may name (the contact's text columns); any other column is an attribute. */
const CONTACT_COLUMNS: readonly string[] = CONTACT_TEXT_COLUMNS;

/** A validated import row: a value or null for each column, and attributes to merge in. */
export type ContactImportRow = Record<ContactTextColumn, string | null> & { attributes: Record<string, unknown> };

/** A row as read: its 1-based data row number and the value to validate. */
export interface RawRow {
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

export type ImportFormat = 'json' | 'csv';

export function rowsFromJson(contacts: unknown[]): RawRow[] {
  return contacts.map((value, index) => ({ row: index + 1, value }));
}

/**
 * CSV text to rows keyed by column; a structural error (an unclosed quote, a short line) is malformed
 * input. At most `maxRows` (a request's limit; the command line writes a file in batches).
 */
export function rowsFromCsv(text: string, maxRows = MAX_IMPORT_ROWS): RawRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      const where = line === undefined ? 'body' : `line ${line}`;
      throw new MalformedInputError(`the CSV is malformed at ${where}: ${error.message}`, [
        { field: where, in: 'body', message: error.message },
      ]);
    }
    throw error;
  }
  const [header, ...data] = records;
  if (!header)
    throw new InvalidInputError([{ field: 'body', in: 'body', message: 'expects a header row and data rows' }]);
  const columns = csvColumns(header);
  if (data.length === 0)
    throw new InvalidInputError([{ field: 'body', in: 'body', message: 'has a header row but no data rows' }]);
  if (data.length > maxRows) {
    throw new InvalidInputError([
      { field: 'body', in: 'body', message: `at most ${maxRows} data rows, got ${data.length}` },
    ]);
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
  if (errors.length > 0) throw new InvalidInputError(errors);
  return columns;
}

/** Validates each row, then flags a later row repeating an earlier row's email (or, without one, phone). */
export function planImport(rows: RawRow[], format: ImportFormat): ImportPlan {
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

function rowIssues(row: number, error: z.ZodError, format: ImportFormat): Rejection[] {
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
function fieldName(path: PropertyKey[], format: ImportFormat): string {
  if (path.length === 0) return 'row';
  if (format === 'csv' && path[0] === 'attributes' && path.length > 1) return String(path[1]);
  return path.map(String).join('.');
}

function fieldError(rejection: Rejection, format: ImportFormat): FieldError {
  const where = format === 'json' ? `contacts.${rejection.row - 1}` : `row ${rejection.row}`;
  const field = rejection.field === 'row' ? where : `${where}.${rejection.field}`;
  return { field, in: 'body', message: rejection.message };
}
