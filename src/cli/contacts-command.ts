// `nightshift contacts import FILE.csv`: the bulk import of POST /api/contacts/import from a file,
// with the same row checks and the same row-level report. A file may hold more rows than a request
// (10,000): every row is checked first, so that with --on-error abort a bad row anywhere writes
// nothing, then the good rows are written in batches, one transaction each, with progress. A
// failure part-way leaves the batches before it written; running the import again completes it
// (a row updates the contact that holds its email, or without one its phone).
import { readFile } from 'node:fs/promises';
import { tenantScoped } from '../db/tenant-scope.ts';
import { planImport, type RawRow, type Rejection, rowsFromCsv } from '../domain/contact-import.ts';
import { InvalidInputError, MalformedInputError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { importContacts } from '../services/contacts.ts';
import { resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { plural } from './plural.ts';
import { progressReporter } from './progress.ts';
import { tenantName } from './tenant-name.ts';

/** Rows a batch writes: a transaction of a second or so, and progress that moves. */
const BATCH_ROWS = 1000;
/** A file's rows at most: all of them are held in memory while they are checked. */
const MAX_FILE_ROWS = 1_000_000;

export interface ContactsImportOptions {
  tenant: string;
  segment?: string;
  onError: string;
  json?: boolean;
}

export async function contactsImportCommand(file: string, options: ContactsImportOptions): Promise<void> {
  if (options.onError !== 'abort' && options.onError !== 'skip') {
    throw new UsageError(`--on-error expects abort or skip (got ${JSON.stringify(options.onError)})`);
  }
  if (options.segment !== undefined && !isUuid(options.segment)) {
    throw new UsageError(`--segment expects a segment id (a UUID), got ${JSON.stringify(options.segment)}`);
  }
  const rows = await readRows(file);
  const plan = planImport(rows, 'csv');
  const badRows = new Set(plan.rejected.map((r) => r.row));
  if (badRows.size > 0 && options.onError === 'abort') {
    process.stderr.write(rejectionLines(plan.rejected));
    throw new UsageError(
      `${file}: ${badRows.size} of ${plural(rows.length, 'row')} invalid; nothing was imported (--on-error skip imports the others)`,
    );
  }
  const good = rows.filter((r) => !badRows.has(r.row));
  const { config } = commandConfig();
  const progress = options.json ? undefined : progressReporter(process.stderr, { label: 'import: ', unit: 'row' });
  const done = { imported: 0, updated: 0, added_to_segment: 0 };
  const tenant = await withDatabase(config, async (db) => {
    const ref = await resolveTenant(db, options.tenant);
    const scoped = tenantScoped(db, ref.id);
    for (let start = 0; start < good.length; start += BATCH_ROWS) {
      const batch = await importContacts(scoped, ref.id, good.slice(start, start + BATCH_ROWS), 'csv', {
        segmentId: options.segment,
        onError: 'abort',
      }).catch(segmentUsage);
      done.imported += batch.imported;
      done.updated += batch.updated;
      done.added_to_segment += batch.added_to_segment;
      progress?.update(Math.min(start + BATCH_ROWS, good.length), good.length);
    }
    return ref;
  }).finally(() => progress?.end());
  const report = {
    ...done,
    rejected: plan.rejected,
    ...(options.segment ? { segment_id: options.segment } : {}),
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const segment = options.segment ? `; ${plural(done.added_to_segment, 'contact')} added to the segment` : '';
  process.stdout.write(
    `Imported ${file} into ${tenantName(tenant, tenant.id)}: ${done.imported} new, ${done.updated} updated, ` +
      `${plural(badRows.size, 'row')} skipped${segment}\n${rejectionLines(plan.rejected)}`,
  );
}

/** The file's rows; a file that cannot be read, or is no contacts CSV, is the command line's mistake. */
async function readRows(file: string): Promise<RawRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return rowsFromCsv(text, MAX_FILE_ROWS);
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof MalformedInputError) {
      throw new UsageError(`${file}: ${error.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    }
    throw error;
  }
}

/** A segment the service did not find is the option's mistake, said with the option's name. */
function segmentUsage(error: unknown): never {
  if (error instanceof InvalidInputError && error.errors.some((e) => e.field === 'segment_id')) {
    throw new UsageError('--segment names no segment of this tenant');
  }
  throw error;
}

/** "  row 12, email: Invalid email address", a line each, the file's data rows counted from 1. */
function rejectionLines(rejected: Rejection[]): string {
  return rejected.map((r) => `  row ${r.row}, ${r.field}: ${r.message}\n`).join('');
}
