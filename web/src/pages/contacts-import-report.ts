// What an import came to, whichever way the API said it: a report (200: rows written, bad rows
// skipped) or, with on_error=abort, a 422 whose fields name each bad row ("row 3.email"). Both
// become one shape, so the page shows the same table of bad rows either way.
import type { ContactImportReport } from '../../../src/contract/contacts.ts';
import type { FieldError } from '../../../src/contract/problem.ts';
import { ApiError } from '../api/client.ts';

export interface BadRow {
  row: number;
  /** The column at fault, or undefined when the row as a whole is. */
  field: string | undefined;
  message: string;
}

export interface ImportOutcome {
  /** False when nothing was written (on_error=abort and a bad row, or a file the API refused). */
  written: boolean;
  imported: number;
  updated: number;
  /** Rows left out: each bad row once, however many of its fields are bad. */
  skipped: number;
  addedToSegment: number;
  badRows: BadRow[];
  /** The API's words for what is not a row (the header, the file, the segment), when it refused. */
  problems: FieldError[];
  summary?: string;
}

const countRows = (rows: BadRow[]) => new Set(rows.map((r) => r.row)).size;

export function fromReport(report: ContactImportReport): ImportOutcome {
  const badRows = report.rejected.map((r) => ({
    row: r.row,
    field: r.field === 'row' ? undefined : r.field,
    message: r.message,
  }));
  return {
    written: true,
    imported: report.imported,
    updated: report.updated,
    skipped: countRows(badRows),
    addedToSegment: report.added_to_segment,
    badRows,
    problems: [],
  };
}

/** A CSV row's field error as the API names it: `row 3` (the row) or `row 3.email` (a column). */
const ROW_FIELD = /^row (\d+)(?:\.(.+))?$/;

/** A refused import's outcome; undefined for an error that is not the API's answer about the file. */
export function fromRefusal(error: unknown): ImportOutcome | undefined {
  if (!(error instanceof ApiError) || (error.status !== 422 && error.status !== 400)) return undefined;
  const badRows: BadRow[] = [];
  const problems: FieldError[] = [];
  for (const f of error.fields) {
    const match = ROW_FIELD.exec(f.field);
    if (match) badRows.push({ row: Number(match[1]), field: match[2], message: f.message });
    else problems.push(f);
  }
  return {
    written: false,
    imported: 0,
    updated: 0,
    skipped: countRows(badRows),
    addedToSegment: 0,
    badRows,
    problems,
    summary: error.message,
  };
}
