// A contact's history: the messages the delivery worker recorded for one contact, newest first in
// cursor pages, with the campaign, step and variant each belongs to. Read only; the delivery
// worker writes campaign_messages (delivery-messages.ts). Found through
// campaign_messages_contact_idx (migration 0041).
import type { InferResult } from 'kysely';
import type { Keyset } from '../../domain/keyset.ts';
import { newestFirstPage } from '../newest-first-page.ts';
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

const selectMessages = (tenantId: string, contactId: string) =>
  typed
    .selectFrom('campaign_messages as m')
    .innerJoin('campaigns as c', (j) => j.onRef('c.tenant_id', '=', 'm.tenant_id').onRef('c.id', '=', 'm.campaign_id'))
    .innerJoin('content_assets as a', (j) =>
      j.onRef('a.tenant_id', '=', 'm.tenant_id').onRef('a.id', '=', 'm.asset_id'),
    )
    .innerJoin('content_variants as v', (j) =>
      j.onRef('v.tenant_id', '=', 'm.tenant_id').onRef('v.id', '=', 'm.variant_id'),
    )
    .where('m.tenant_id', '=', tenantId)
    .where('m.contact_id', '=', contactId)
    .select((eb) => [
      'm.id',
      'm.campaign_id',
      'c.title as campaign_title',
      'm.step_index',
      'a.name as step_name',
      'v.variant_label',
      'm.channel',
      'm.to_address',
      'm.status',
      'm.error',
      'm.claimed_at as queued_at',
      'm.sent_at',
      'm.delivered_at',
      'm.opened_at',
      'm.clicked_at',
      'm.replied_at',
      'm.bounced_at',
      'm.unsubscribed_at',
      'm.complained_at',
      eb.cast<string>('m.claimed_at', 'text').as('sort_key'),
    ]);

export type ContactMessageRow = InferResult<ReturnType<typeof selectMessages>>[number];

export function listContactMessages(
  s: SqlSession,
  tenantId: string,
  contactId: string,
  page: { limit: number; cursor?: Keyset },
) {
  return rows(s, newestFirstPage(selectMessages(tenantId, contactId), { at: 'm.claimed_at', id: 'm.id' }, page));
}
