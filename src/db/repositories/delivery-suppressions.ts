// The tenant's suppression list (table suppressions): addresses never sent to again on a channel.
// The claims check it set-based (src/db/repositories/delivery-claims.ts); this file adds to it and
// lists it. The first reason recorded for an address stays: a later one adds nothing.
import type { SuppressionReason } from '../../contract/delivery-vocabulary.ts';
import type { SqlSession } from '../port.ts';

export type { SuppressionReason };

export interface NewSuppression {
  channel: 'email' | 'sms';
  /** As the message was addressed: an e-mail address (lower-cased here) or an E.164 number. */
  address: string;
  reason: SuppressionReason;
  message_id?: string | null;
  note?: string | null;
}

/** Adds addresses to the list; returns how many were not on it before. */
export async function addSuppressions(
  s: SqlSession,
  tenantId: string,
  entries: readonly NewSuppression[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const added = await s.query(
    `INSERT INTO suppressions (tenant_id, channel, address, reason, message_id, note)
     SELECT $1, d.channel, CASE d.channel WHEN 'email' THEN lower(d.address) ELSE d.address END, d.reason, d.message_id, d.note
       FROM unnest($2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[]) AS d (channel, address, reason, message_id, note)
     ON CONFLICT (tenant_id, channel, address) DO NOTHING
     RETURNING 1`,
    [
      tenantId,
      entries.map((e) => e.channel),
      entries.map((e) => e.address),
      entries.map((e) => e.reason),
      entries.map((e) => e.message_id ?? null),
      entries.map((e) => e.note ?? null),
    ],
  );
  return added.length;
}

export interface SuppressionRow {
  channel: 'email' | 'sms';
  address: string;
  reason: SuppressionReason;
  message_id: string | null;
  note: string | null;
  created_at: Date;
}

const COLUMNS = 'channel, address, reason, message_id, note, created_at';

/** Newest first; `search` matches part of the address, case-insensitively. */
export function listSuppressions(
  s: SqlSession,
  tenantId: string,
  options: { search?: string; channel?: 'email' | 'sms'; limit: number; offset: number },
): Promise<SuppressionRow[]> {
  return s.query<SuppressionRow>(
    `SELECT ${COLUMNS} FROM suppressions
      WHERE tenant_id = $1 AND ($2::text IS NULL OR channel = $2)
        AND ($3::text IS NULL OR address ILIKE '%' || $3 || '%')
      ORDER BY created_at DESC, channel, address
      LIMIT $4 OFFSET $5`,
    [tenantId, options.channel ?? null, escapeLike(options.search), options.limit, options.offset],
  );
}

/** The entry for an address (e-mail compared lower-cased, as stored), if it is on the list. */
export async function suppressionOf(
  s: SqlSession,
  tenantId: string,
  channel: 'email' | 'sms',
  address: string,
): Promise<SuppressionRow | undefined> {
  const [row] = await s.query<SuppressionRow>(
    `SELECT ${COLUMNS} FROM suppressions
      WHERE tenant_id = $1 AND channel = $2::text AND address = CASE $2::text WHEN 'email' THEN lower($3::text) ELSE $3::text END`,
    [tenantId, channel, address],
  );
  return row;
}

/** The entries that stop messages to a contact: its e-mail address's and its phone's, as the claims compare them. */
export function suppressionsOfContact(s: SqlSession, tenantId: string, contactId: string): Promise<SuppressionRow[]> {
  return s.query<SuppressionRow>(
    `SELECT sp.channel, sp.address, sp.reason, sp.message_id, sp.note, sp.created_at
       FROM contacts c
       JOIN suppressions sp ON sp.tenant_id = c.tenant_id
        AND ((sp.channel = 'email' AND sp.address = lower(c.email)) OR (sp.channel = 'sms' AND sp.address = regexp_replace(c.phone, '[[:space:]().-]', '', 'g')))
      WHERE c.tenant_id = $1 AND c.id = $2
      ORDER BY sp.created_at DESC, sp.channel`,
    [tenantId, contactId],
  );
}

/** A search term matched literally: % and _ are not wildcards to a person typing an address. */
function escapeLike(term: string | undefined): string | null {
  if (term === undefined || term === '') return null;
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
