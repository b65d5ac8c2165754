// Contacts, for /api/contacts: an email is unique in the tenant whatever its case, a contact stays
// reachable (an email or a phone), and the bulk import writes all its good rows or, with
// on_error=abort, none while any row is bad.
import { analyzeAfterBulk } from '../db/analyze-after-bulk.ts';
import type { Database, SqlSession } from '../db/port.ts';
import * as contacts from '../db/repositories/contacts.ts';
import { addMembers, segmentExists } from '../db/repositories/segments.ts';
import { type ImportFormat, planImport, type RawRow } from '../domain/contact-import.ts';
import { reachable, unreachableIssue } from '../domain/contacts.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.ts';

async function mustGet(s: SqlSession, tenantId: string, id: string): Promise<contacts.ContactRow> {
  const row = await contacts.getContact(s, tenantId, id);
  if (!row) throw new NotFoundError(`no contact ${id}`);
  return row;
}

/** A conflict when another of the tenant's contacts holds the email. */
async function assertEmailFree(s: SqlSession, tenantId: string, email: string, self?: string): Promise<void> {
  const holder = await contacts.contactIdByEmail(s, tenantId, email);
  if (holder && holder !== self) {
    throw new ConflictError(`the email ${email} belongs to contact ${holder}`, [
      { field: 'email', in: 'body', message: `already taken by contact ${holder}` },
    ]);
  }
}

export function listContacts(db: Database, tenantId: string, filter: contacts.ContactFilter) {
  return db.session((s) => contacts.listContacts(s, tenantId, filter));
}

export function getContact(db: Database, tenantId: string, id: string) {
  return db.session((s) => mustGet(s, tenantId, id));
}

export function createContact(db: Database, tenantId: string, fields: contacts.ContactFields) {
  return db.transaction(async (s) => {
    if (fields.email) await assertEmailFree(s, tenantId, fields.email);
    const id = await contacts.insertContact(s, tenantId, fields);
    return mustGet(s, tenantId, id);
  });
}

/** Fields given are set (null clears one), attributes merged in; the contact must keep an email or a phone. */
export function updateContact(db: Database, tenantId: string, id: string, change: contacts.ContactFields) {
  return db.transaction(async (s) => {
    const current = await mustGet(s, tenantId, id);
    const email = change.email === undefined ? current.email : change.email;
    const phone = change.phone === undefined ? current.phone : change.phone;
    if (!reachable({ email, phone })) {
      throw new InvalidInputError([
        { field: 'email', in: 'body', message: `${unreachableIssue.message} (phone too is empty)` },
      ]);
    }
    if (change.email) await assertEmailFree(s, tenantId, change.email, id);
    await contacts.updateContact(s, tenantId, id, change);
    return mustGet(s, tenantId, id);
  });
}

export interface ImportOptions {
  /** Every imported contact also joins this segment. */
  segmentId?: string;
  /** abort: any bad row fails the import and nothing is written; skip: the good rows are written. */
  onError: 'abort' | 'skip';
}

/** Validates every row, then writes the good ones in one transaction; the report names every bad row. */
export function importContacts(
  db: Database,
  tenantId: string,
  rows: RawRow[],
  format: ImportFormat,
  { segmentId, onError }: ImportOptions,
) {
  const plan = planImport(rows, format);
  return db.transaction(async (s) => {
    if (segmentId && !(await segmentExists(s, tenantId, segmentId))) {
      throw new InvalidInputError([{ field: 'segment_id', in: 'query', message: 'names no segment of this tenant' }]);
    }
    if (plan.rejected.length > 0 && onError === 'abort') {
      const badRows = new Set(plan.rejected.map((r) => r.row)).size;
      throw new InvalidInputError(
        plan.errors,
        `${badRows} of ${rows.length} rows are invalid; nothing was imported (on_error=skip imports the others)`,
      );
    }
    const outcome = await contacts.importContacts(s, tenantId, plan.accepted);
    const added =
      segmentId && outcome.contactIds.length > 0
        ? (await addMembers(s, tenantId, segmentId, outcome.contactIds, [])).added
        : 0;
    await analyzeAfterBulk(s, { contacts: outcome.imported + outcome.updated, segment_members: added });
    return {
      imported: outcome.imported,
      updated: outcome.updated,
      rejected: plan.rejected,
      ...(segmentId ? { segment_id: segmentId } : {}),
      added_to_segment: added,
    };
  });
}
