// The suppression list as people see and keep it (the API's /api/suppressions and a contact's
// entries): searched and paged, and an address added by hand. Delivery adds the rest itself
// (unsubscribes, bounces, complaints, STOP: src/delivery/recipient-events.ts).
import type { SuppressionInput, SuppressionRecord } from '../contract/delivery.ts';
import type { Database } from '../db/port.ts';
import { getContact } from '../db/repositories/contacts.ts';
import {
  addSuppressions,
  listSuppressions,
  type SuppressionRow,
  suppressionOf,
  suppressionsOfContact,
} from '../db/repositories/delivery-suppressions.ts';
import { NotFoundError } from '../domain/errors.ts';

const record = (row: SuppressionRow): SuppressionRecord => ({ ...row, created_at: row.created_at.toISOString() });

/** A page of the list, newest first, and the offset of the next page (null on the last). */
export async function suppressionPage(
  db: Database,
  tenantId: string,
  options: { search?: string; channel?: 'email' | 'sms'; limit: number; offset: number },
) {
  const rows = await db.session((s) => listSuppressions(s, tenantId, { ...options, limit: options.limit + 1 }));
  return {
    data: rows.slice(0, options.limit).map(record),
    next_offset: rows.length > options.limit ? options.offset + options.limit : null,
  };
}

/**
 * Puts an address on the list by hand (reason 'manual'). An address already on it keeps its entry
 * (the first reason stays): `added` says which.
 */
export async function addManualSuppression(db: Database, tenantId: string, input: SuppressionInput) {
  return db.transaction(async (s) => {
    const added = await addSuppressions(s, tenantId, [
      { channel: input.channel, address: input.address, reason: 'manual', note: input.note ?? null },
    ]);
    const row = await suppressionOf(s, tenantId, input.channel, input.address);
    return { added: added > 0, suppression: record(row!) };
  });
}

/** The entries that stop messages to the contact (its e-mail address's and phone's). */
export function listContactSuppressions(db: Database, tenantId: string, contactId: string) {
  return db.session(async (s) => {
    if (!(await getContact(s, tenantId, contactId))) throw new NotFoundError(`no contact ${contactId}`);
    return (await suppressionsOfContact(s, tenantId, contactId)).map(record);
  });
}
