// GET /api/contacts/{id}/messages: a contact's history, the messages campaigns sent it and what
// became of each (opened, clicked, replied, bounced), newest first in cursor pages.

import { z } from 'zod';
import { contactMessageRecord } from '../contract/contact-messages.ts';
import { pageSchema } from '../contract/page.ts';
import { contactMessages } from '../services/contact-messages.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams } from './schemas.ts';

const listQuery = z.strictObject(pageQuery);

export function contactMessageRoutes(api: ApiRouter): void {
  api.tenant(
    {
      method: 'get',
      path: '/api/contacts/{id}/messages',
      tag: 'Contacts',
      summary: 'The messages sent to a contact, newest first',
      description:
        'Every message the delivery worker recorded for the contact, on any campaign: its campaign, step and ' +
        'variant, channel and address, status, and when it was sent, delivered, opened, clicked, replied to, ' +
        'bounced, or led to an unsubscribe or complaint. Ordered by when the worker took it up.',
      access: 'viewer',
      params: idParams,
      query: listQuery,
      responses: { 200: { description: 'A page of messages', schema: pageSchema(contactMessageRecord) } },
    },
    async ({ c, db, principal, params, query }) => {
      return c.json(toPage(await contactMessages(db, principal.tenantId, params.id, query), query.limit));
    },
  );
}
