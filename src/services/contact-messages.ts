// A contact's history for GET /api/contacts/{id}/messages: the messages sent to it, once it is
// known to be the tenant's contact (another tenant's id is a 404, as every other contact route).
import type { Database } from '../db/port.ts';
import { listContactMessages } from '../db/repositories/contact-messages.ts';
import { getContact } from '../db/repositories/contacts.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Keyset } from '../domain/keyset.ts';

export function contactMessages(
  db: Database,
  tenantId: string,
  contactId: string,
  page: { limit: number; cursor?: Keyset },
) {
  return db.session(async (s) => {
    if (!(await getContact(s, tenantId, contactId))) throw new NotFoundError(`no contact ${contactId}`);
    return listContactMessages(s, tenantId, contactId, page);
  });
}
