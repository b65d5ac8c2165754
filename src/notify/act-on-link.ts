// Using an action link (src/notify/action-links.ts): reading what it would do, for the confirmation
// page, and doing it. Doing it is one transaction in the link's tenant: the link's row is locked and
// checked unused and unexpired, the ledger carries the operation out naming the person, and the row
// records who used it and what came of it. A refusal of the ledger's (the action was decided
// meanwhile, the campaign changed since) uses the link up too, with the ledger's words; an error of
// the database's leaves it as it was.
import type { Database, SqlSession } from '../db/port.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { decideSuggestion } from '../ledger/decide.ts';
import type { DecidedBy } from '../ledger/decided-by.ts';
import type { LedgerOutcome } from '../ledger/lock-action.ts';
import { rollbackInSession } from '../ledger/rollback.ts';
import { type ActionLinkClaims, verifyActionLink } from './action-link-token.ts';
import { type ActionLinkOperation, OPERATION_WORDS } from './action-links.ts';

/** What the confirmation page shows: the link, and the action it acts on. */
export interface ActionLinkView {
  operation: ActionLinkOperation;
  issuedTo: string;
  destinationId: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  usedBy: string | null;
  outcome: string | null;
  action: {
    id: string;
    type: string;
    status: string;
    reason: string;
    confidence: number | null;
    campaignTitle: string;
  };
}

/**
 * Why a link does not act: malformed or unknown (404: nothing says whether it ever existed),
 * forged (403), expired (410), used (the outcome of its use; 409 to a POST, 410 to a GET), or a
 * link for another channel (a Slack button's token on the page, or the reverse: 404).
 */
export type LinkRefusal = 'malformed' | 'unknown' | 'forged' | 'expired' | 'used';

export type LinkRead = { ok: true; view: ActionLinkView } | { ok: false; reason: LinkRefusal; view?: ActionLinkView };

export type LinkUse =
  | { ok: true; view: ActionLinkView; acted: boolean; outcome: string }
  | { ok: false; reason: LinkRefusal; view?: ActionLinkView };

/** Where the link is used: the confirmation page takes e-mail links, the Slack hook its destination's buttons. */
export type LinkChannel = { kind: 'page' } | { kind: 'slack'; tenantId: string; destinationId: string };

export interface UseOptions {
  now: Date;
  channel: LinkChannel;
  /** The person as the ledger names them; the link's issued_to when absent (an e-mail address). */
  actor?: string;
}

const SELECT_LINK = `
  SELECT l.operation, l.issued_to, l.destination_id, l.expires_at, l.used_at, l.used_by, l.outcome,
         a.id AS action_id, a.action_type, a.status, a.reason, a.confidence_score::float8 AS confidence,
         c.title AS campaign_title
    FROM action_links l
    JOIN autonomous_actions a ON a.tenant_id = l.tenant_id AND a.id = l.action_id
    JOIN campaigns c ON c.tenant_id = a.tenant_id AND c.id = a.campaign_id
   WHERE l.tenant_id = $1 AND l.id = $2`;

interface LinkRow {
  operation: ActionLinkOperation;
  issued_to: string;
  destination_id: string | null;
  expires_at: Date;
  used_at: Date | null;
  used_by: string | null;
  outcome: string | null;
  action_id: string;
  action_type: string;
  status: string;
  reason: string;
  confidence: number | null;
  campaign_title: string;
}

const viewOf = (row: LinkRow): ActionLinkView => ({
  operation: row.operation,
  issuedTo: row.issued_to,
  destinationId: row.destination_id,
  expiresAt: new Date(row.expires_at),
  usedAt: row.used_at && new Date(row.used_at),
  usedBy: row.used_by,
  outcome: row.outcome,
  action: {
    id: row.action_id,
    type: row.action_type,
    status: row.status,
    reason: row.reason,
    confidence: row.confidence,
    campaignTitle: row.campaign_title,
  },
});

const isSlackLink = (row: LinkRow) => row.issued_to.startsWith('slack:');

/**
 * The link's row if the token is ours, of this channel, unused and unexpired; else why not. `lock`
 * takes the row for the transaction (a second use waits, then finds it used).
 */
async function checkedLink(
  s: SqlSession,
  claims: ActionLinkClaims,
  options: UseOptions,
  lock: boolean,
): Promise<{ ok: true; row: LinkRow } | { ok: false; reason: LinkRefusal; view?: ActionLinkView }> {
  const [row] = await s.query<LinkRow>(`${SELECT_LINK}${lock ? ' FOR UPDATE OF l' : ''}`, [
    claims.tenantId,
    claims.linkId,
  ]);
  const { channel } = options;
  const ofChannel =
    row &&
    (channel.kind === 'page'
      ? !isSlackLink(row)
      : isSlackLink(row) && row.destination_id === channel.destinationId && claims.tenantId === channel.tenantId);
  if (!row || !ofChannel) return { ok: false, reason: 'unknown' };
  if (row.used_at) return { ok: false, reason: 'used', view: viewOf(row) };
  if (new Date(row.expires_at).getTime() <= options.now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, row };
}

/** What the link would do, for the confirmation page: changes nothing. */
export async function readActionLink(db: Database, key: Buffer, token: string, options: UseOptions): Promise<LinkRead> {
  const verified = verifyActionLink(key, token, options.now);
  if (!verified.ok) return { ok: false, reason: verified.reason };
  const { claims } = verified;
  const checked = await tenantScoped(db, claims.tenantId).session((s) => checkedLink(s, claims, options, false));
  return checked.ok ? { ok: true, view: viewOf(checked.row) } : checked;
}

/** Does what the link says, once: the ledger names `options.actor` (else whom the link was sent to). */
export async function actOnLink(db: Database, key: Buffer, token: string, options: UseOptions): Promise<LinkUse> {
  const verified = verifyActionLink(key, token, options.now);
  if (!verified.ok) return { ok: false, reason: verified.reason };
  const { claims } = verified;
  return tenantScoped(db, claims.tenantId).transaction(async (s) => {
    const checked = await checkedLink(s, claims, options, true);
    if (!checked.ok) return checked;
    const { row } = checked;
    const by: DecidedBy = { name: options.actor ?? row.issued_to };
    const { acted, outcome } = await carryOut(s, claims.tenantId, row, by);
    await s.query(`UPDATE action_links SET used_at = $3, used_by = $4, outcome = $5 WHERE tenant_id = $1 AND id = $2`, [
      claims.tenantId,
      claims.linkId,
      options.now.toISOString(),
      by.name,
      outcome,
    ]);
    const [after] = await s.query<LinkRow>(SELECT_LINK, [claims.tenantId, claims.linkId]);
    return { ok: true, view: viewOf(after!), acted, outcome };
  });
}

/**
 * The ledger's operation inside a savepoint: its refusal (thrown after it may have written, e.g. a
 * conflict found by the kind) is rolled back to the savepoint and becomes the outcome's words.
 */
async function carryOut(s: SqlSession, tenantId: string, row: LinkRow, by: DecidedBy) {
  const words = OPERATION_WORDS[row.operation];
  await s.exec('SAVEPOINT action_link');
  let done: LedgerOutcome;
  try {
    done =
      row.operation === 'rollback'
        ? await rollbackInSession(s, tenantId, row.action_id, by)
        : await decideSuggestion(
            s,
            tenantId,
            row.action_id,
            row.operation === 'approve' ? 'executed' : 'dismissed',
            by,
          );
    await s.exec('RELEASE SAVEPOINT action_link');
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
    await s.exec('ROLLBACK TO SAVEPOINT action_link');
    return { acted: false, outcome: `Refused: ${error.message}.` };
  }
  if (done.unchanged)
    return { acted: false, outcome: `Nothing changed: it already was ${done.status.replace('_', ' ')}.` };
  const waiting = done.status === 'applying' ? ', sent to the ad platform (it confirms shortly)' : '';
  return { acted: true, outcome: `${words.done} by ${by.name}${waiting}.` };
}
