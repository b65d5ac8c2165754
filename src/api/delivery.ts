// What delivery did and who it must never reach again: a campaign's funnel and its steps' variants,
// the tenant's suppression list (searched, and added to by hand) and a contact's own entries.
import { z } from 'zod';
import {
  campaignDelivery,
  contactSuppressions,
  suppressionInput,
  suppressionList,
  suppressionRecord,
} from '../contract/delivery.ts';
import { MESSAGE_CHANNELS } from '../contract/delivery-vocabulary.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { addressProblem } from '../domain/message-address.ts';
import { deliveryReport } from '../services/delivery-reports.ts';
import { addManualSuppression, listContactSuppressions, suppressionPage } from '../services/suppressions.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams } from './schemas.ts';

const listQuery = z.strictObject({
  search: z.string().trim().max(320).optional().describe('Part of the address, matched case-insensitively'),
  channel: z.enum(MESSAGE_CHANNELS).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function deliveryRoutes(api: ApiRouter): void {
  const tag = 'Delivery';

  api.tenant(
    {
      method: 'get',
      path: '/api/campaigns/{id}/delivery',
      tag,
      summary: 'A campaign’s delivery funnel, and its steps’ variants as sent',
      description:
        'funnel: the campaign’s recipients by the furthest stage they reached, each counted in its stage and every ' +
        'stage before it (queued: all of them; sent, delivered, opened, clicked, replied: those who got at least that ' +
        'far with any message; bounced and unsubscribed: those who left that way, beside the rest). steps: each step ' +
        'with every variant and its counts of messages (a message counts one open, one click and one reply at most).',
      access: 'viewer',
      params: idParams,
      responses: { 200: { description: 'The funnel and the steps', schema: campaignDelivery } },
    },
    async ({ c, db, principal, params }) => c.json(await deliveryReport(db, principal.tenantId, params.id)),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/suppressions',
      tag,
      summary: 'The suppression list: addresses never sent to again on a channel',
      description: 'Newest first, in pages of `limit` from `offset`.',
      access: 'member',
      query: listQuery,
      responses: { 200: { description: 'A page of the list', schema: suppressionList } },
    },
    async ({ c, db, principal, query }) => c.json(await suppressionPage(db, principal.tenantId, query)),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/suppressions',
      tag,
      summary: 'Put an address on the suppression list by hand',
      description:
        'Reason `manual`. An e-mail address is stored lower-cased; an SMS address must be an E.164 number. ' +
        'An address already on the list keeps its entry and first reason: the answer is 200 with it, not 201.',
      access: 'admin',
      body: suppressionInput,
      responses: {
        201: { description: 'The new entry', schema: suppressionRecord },
        200: { description: 'The address was on the list already: its entry', schema: suppressionRecord },
      },
    },
    async ({ c, db, principal, body }) => {
      const problem = addressProblem(body.channel, body.address);
      if (problem) throw new InvalidInputError([{ field: 'address', in: 'body', message: problem }]);
      const { added, suppression } = await addManualSuppression(db, principal.tenantId, body);
      return c.json(suppression, added ? 201 : 200);
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/contacts/{id}/suppressions',
      tag,
      summary: 'The suppression list’s entries for a contact',
      description:
        'The entries of its e-mail address (compared lower-cased) and of its phone number (compared as stored), as ' +
        'the delivery worker compares them before every message.',
      access: 'member',
      params: idParams,
      responses: { 200: { description: 'The entries', schema: contactSuppressions } },
    },
    async ({ c, db, principal, params }) =>
      c.json({ data: await listContactSuppressions(db, principal.tenantId, params.id) }),
  );
}
