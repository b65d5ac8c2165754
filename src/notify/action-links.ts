// Acting from a message (docs/notifications.md, "Acting from a message"): the approve, dismiss and
// roll back links and Slack buttons a notification carries. Each is a row of action_links issued to
// one address (or one Slack destination), named by a signed token (src/notify/action-link-token.ts):
// the token proves we made the link, the row makes it single-use and says whom the ledger names.
// The renderers call actionLinksFor; using a link is src/notify/act-on-link.ts.
import type { SqlSession } from '../db/port.ts';
import { actionKind } from '../ledger/registry.ts';
import { signActionLink } from './action-link-token.ts';

export const ACTION_LINK_OPERATIONS = ['approve', 'dismiss', 'rollback'] as const;
export type ActionLinkOperation = (typeof ACTION_LINK_OPERATIONS)[number];

/** The button's words, and what is said once it is done. */
export const OPERATION_WORDS: Record<ActionLinkOperation, { label: string; done: string }> = {
  approve: { label: 'Approve', done: 'Approved' },
  dismiss: { label: 'Dismiss', done: 'Dismissed' },
  rollback: { label: 'Roll back', done: 'Rolled back' },
};

/**
 * How long a link stays good: 72 hours. A suggestion sent on a Friday evening can still be approved
 * on Monday; a forwarded or leaked message stops being able to act within days; and a suggestion
 * older than that has usually been replaced by a newer cycle's (the link then answers with the
 * ledger's refusal anyway).
 */
export const ACTION_LINK_LIFETIME_MS = 72 * 3_600_000;

/** What issuing and reading links needs: the links' key (actionLinkKey) and the public address. */
export interface ActionLinkDeps {
  actionLinkKey: Buffer;
  publicUrl: string;
}

export interface NewActionLink {
  tenantId: string;
  actionId: string;
  operation: ActionLinkOperation;
  /** Whom the link goes to: an e-mail address (named in the ledger when used), or slackRecipient(id). */
  issuedTo: string;
  /** The destination the message goes to, if any; a Slack button's must be given. */
  destinationId?: string;
  /** ACTION_LINK_LIFETIME_MS from `now` unless given. */
  expiresAt?: Date;
  /** The clock's reading (tests move it); the system's unless given. */
  now?: Date;
}

export interface IssuedActionLink {
  id: string;
  /** The signed token: a Slack button's value. */
  token: string;
  /** `${publicUrl}/act/<token>`: the confirmation page an e-mail links to. */
  url: string;
  expiresAt: Date;
}

/** The issued_to of a Slack destination's buttons: the person is named when one presses a button. */
export const slackRecipient = (destinationId: string) => `slack:${destinationId}`;

/** Writes the link's row in the caller's transaction (the tenant's scope) and answers its token and URL. */
export async function issueActionLink(
  s: SqlSession,
  deps: ActionLinkDeps,
  link: NewActionLink,
): Promise<IssuedActionLink> {
  // Whole seconds: the token carries seconds, and the row must say the same instant.
  const expiry = link.expiresAt?.getTime() ?? (link.now?.getTime() ?? Date.now()) + ACTION_LINK_LIFETIME_MS;
  const expiresAt = new Date(Math.floor(expiry / 1000) * 1000);

  const [row] = await s.query<{ id: string }>(
    `INSERT INTO action_links (tenant_id, action_id, operation, issued_to, destination_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [link.tenantId, link.actionId, link.operation, link.issuedTo, link.destinationId ?? null, expiresAt.toISOString()],
  );
  const token = signActionLink(deps.actionLinkKey, { tenantId: link.tenantId, linkId: row!.id, expiresAt });
  return { id: row!.id, token, url: `${deps.publicUrl.replace(/\/+$/, '')}/act/${token}`, expiresAt };
}

export interface ActionLinkButton {
  operation: ActionLinkOperation;
  /** "Approve", "Dismiss", "Roll back". */
  label: string;
  url: string;
  token: string;
}

export interface ActionEventLinks {
  tenantId: string;
  actionId: string;
  /** The event's action_type: whether an executed action can be rolled back. */
  actionType: string;
  /** The action's status in the event: pending (approve, dismiss) or executed (roll back). */
  status: string;
  issuedTo: string;
  destinationId?: string;
  expiresAt?: Date;
  now?: Date;
}

/**
 * The links an action event's message carries, one row each, issued to one recipient: a pending
 * suggestion's Approve and Dismiss; an executed action's Roll back when its kind can undo it;
 * nothing otherwise. Call it once per recipient (each address gets its own links, so the ledger
 * names who acted), in the transaction that renders the message.
 */
export async function actionLinksFor(
  s: SqlSession,
  deps: ActionLinkDeps,
  event: ActionEventLinks,
): Promise<ActionLinkButton[]> {
  const operations: ActionLinkOperation[] =
    event.status === 'pending'
      ? ['approve', 'dismiss']
      : event.status === 'executed' && isUndoable(event.actionType)
        ? ['rollback']
        : [];
  const buttons: ActionLinkButton[] = [];
  for (const operation of operations) {
    const { url, token } = await issueActionLink(s, deps, { ...event, operation });
    buttons.push({ operation, label: OPERATION_WORDS[operation].label, url, token });
  }
  return buttons;
}

function isUndoable(actionType: string): boolean {
  try {
    return actionKind(actionType).undo !== undefined;
  } catch {
    return false;
  }
}
