// Campaign recipients, generated from the campaign's audience segment. Set-based and chunked: each
// statement copies the next `chunk` members in contact order (a range scan of the segment's
// primary key), so a million recipients are a handful of statements and progress can be reported
// between them, while no statement holds more than one chunk in memory. Only active contacts become
// recipients: an unsubscribed or bounced one stays in the segment but is never sent to.
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';

/** How many recipients the campaign has (the runner generates none if it has any). */
export async function countRecipients(s: SqlSession, tenantId: string, campaignId: string): Promise<number> {
  const [row] = await rows(
    s,
    typed
      .selectFrom('campaign_recipients')
      .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
      .where('tenant_id', '=', tenantId)
      .where('campaign_id', '=', campaignId),
  );
  return row?.n ?? 0;
}

const ACTIVE_MEMBERS = `
  FROM segment_members m
  JOIN contacts c ON c.tenant_id = m.tenant_id AND c.id = m.contact_id AND c.status = 'active'
 WHERE m.tenant_id = $1 AND m.segment_id = $2`;

/**
 * Members of the segment who can be sent to. Visible SQL, as the set it counts is the one the chunks
 * copy (ACTIVE_MEMBERS): the runner's progress total and the copy cannot drift apart.
 */
export async function countActiveMembers(s: SqlSession, tenantId: string, segmentId: string): Promise<number> {
  const [row] = await s.query<{ n: number }>(`SELECT count(*)::int AS n ${ACTIVE_MEMBERS}`, [tenantId, segmentId]);
  return row?.n ?? 0;
}

const NEXT_CHUNK = `
  WITH chunk AS MATERIALIZED (
    SELECT m.contact_id ${ACTIVE_MEMBERS} AND ($4::uuid IS NULL OR m.contact_id > $4)
     ORDER BY m.contact_id
     LIMIT $5
  ), added AS (
    INSERT INTO campaign_recipients (tenant_id, campaign_id, contact_id)
    SELECT $1, $3, contact_id FROM chunk
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT contact_id FROM chunk ORDER BY contact_id DESC LIMIT 1) AS last_contact_id,
         (SELECT count(*) FROM chunk)::int AS scanned,
         (SELECT count(*) FROM added)::int AS added`;

/**
 * Adds every active member of the segment as a recipient, `chunk` members a statement; calls `progress`
 * with the running count after each. Returns how many recipients were added. Set-based (a chunk
 * copied by INSERT ... SELECT in a CTE), so visible SQL rather than the builder.
 */
export async function addSegmentAsRecipients(
  s: SqlSession,
  target: { tenantId: string; campaignId: string; segmentId: string },
  options: { chunk: number; progress?: (added: number) => void },
): Promise<number> {
  let after: string | null = null;
  let added = 0;
  for (;;) {
    const [step]: { last_contact_id: string | null; scanned: number; added: number }[] = await s.query(NEXT_CHUNK, [
      target.tenantId,
      target.segmentId,
      target.campaignId,
      after,
      options.chunk,
    ]);
    if (!step || step.scanned === 0) return added;
    added += step.added;
    options.progress?.(added);
    if (step.scanned < options.chunk) return added;
    after = step.last_contact_id;
  }
}
