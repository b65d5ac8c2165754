// What the public tracking addresses do (docs/delivery.md, "Tracking"): an open pixel fetched, a
// link clicked, an unsubscribe confirmed. Each address carries a signed token naming the tenant,
// the message and its purpose (src/delivery/tracking-token.ts); a token that is forged, expired or
// meant for another purpose changes nothing. A click only ever leads to one of the message's own
// links, by its index: the address cannot be pointed anywhere else.
import type { Database } from '../db/port.ts';
import { messageForEvent } from '../db/repositories/delivery-messages.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { recordMessageEvents } from '../delivery/recipient-events.ts';
import { type TrackingPayload, verifyToken } from '../delivery/tracking-token.ts';

export type TrackingRefusal = 'malformed' | 'forged' | 'expired' | 'unknown';

type Verified = { ok: true; payload: TrackingPayload } | { ok: false; reason: TrackingRefusal };

function verified(key: Buffer, token: string, kind: TrackingPayload['kind'], now: Date): Verified {
  const result = verifyToken(key, token, now);
  if (!result.ok) return result;
  // A token of another purpose (an open pixel's, offered as an unsubscribe) is as good as forged.
  if (result.payload.kind !== kind) return { ok: false, reason: 'forged' };
  return result;
}

export async function recordOpen(db: Database, key: Buffer, token: string, now = new Date()): Promise<boolean> {
  const check = verified(key, token, 'open', now);
  if (!check.ok) return false;
  const { tenantId, messageId } = check.payload;
  return (await recordMessageEvents(tenantScoped(db, tenantId), tenantId, [{ messageId, kind: 'opened' }])) > 0;
}

/** The link to send the browser to, or why not. */
export async function followClick(
  db: Database,
  key: Buffer,
  token: string,
  now = new Date(),
): Promise<{ ok: true; url: string } | { ok: false; reason: TrackingRefusal }> {
  const check = verified(key, token, 'click', now);
  if (!check.ok) return check;
  const { tenantId, messageId, link } = check.payload;
  const scoped = tenantScoped(db, tenantId);
  const message = await scoped.session((s) => messageForEvent(s, tenantId, messageId));
  const url = link === undefined ? undefined : message?.links[link];
  if (!url) return { ok: false, reason: 'unknown' };
  await recordMessageEvents(scoped, tenantId, [{ messageId, kind: 'clicked', detail: { link } }]);
  return { ok: true, url };
}

/** Whether the unsubscribe token is good, and the address it is for (shown on the page). */
export async function unsubscribeTarget(
  db: Database,
  key: Buffer,
  token: string,
  now = new Date(),
): Promise<{ ok: true; address: string } | { ok: false; reason: TrackingRefusal }> {
  const check = verified(key, token, 'unsubscribe', now);
  if (!check.ok) return check;
  const { tenantId, messageId } = check.payload;
  const message = await tenantScoped(db, tenantId).session((s) => messageForEvent(s, tenantId, messageId));
  return message ? { ok: true, address: message.to_address } : { ok: false, reason: 'unknown' };
}

/** Unsubscribes the message's address (suppressed at once, its sequence ended). Idempotent. */
export async function unsubscribe(
  db: Database,
  key: Buffer,
  token: string,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; reason: TrackingRefusal }> {
  const check = verified(key, token, 'unsubscribe', now);
  if (!check.ok) return check;
  const { tenantId, messageId } = check.payload;
  const kept = await recordMessageEvents(tenantScoped(db, tenantId), tenantId, [{ messageId, kind: 'unsubscribed' }]);
  return kept > 0 ? { ok: true } : { ok: false, reason: 'unknown' };
}
