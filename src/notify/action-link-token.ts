// The token in an action link (src/notify/action-links.ts): which link row, of which tenant, until
// when, signed so no one can make or alter one. What the link does (approve, dismiss, roll back),
// on which action and for whom is in the row, which also makes the link single-use.
//
// Layout, then base64url (no padding), in the style of the tracking tokens
// (src/delivery/tracking-token.ts, which says why 16 bytes of MAC):
//   1 byte   version (high 4 bits, 1) and kind (low 4 bits, 1: an action link)
//   16 bytes tenant uuid, 16 bytes link uuid (action_links.id)
//   4 bytes  expiry, seconds since 1970, big-endian
//   16 bytes HMAC-SHA256 of all of the above, truncated
// 53 bytes, 71 characters: fits a Slack button's value (2,000) and a mail line with room to spare.
// Its key is its own (actionLinkKey): a tracking key that leaked cannot approve anything.
import { timingSafeEqual } from 'node:crypto';
import {
  canonicalBytes,
  deriveSigningKey,
  expirySeconds,
  MAC_BYTES,
  sameText,
  tokenMac,
  uuidBytes,
  uuidString,
} from '../crypto/compact-token.ts';
import { isUuid } from '../domain/ids.ts';

export interface ActionLinkClaims {
  tenantId: string;
  linkId: string;
  expiresAt: Date;
}

export type ActionLinkTokenProblem = 'malformed' | 'forged' | 'expired';

export type VerifiedActionLink = { ok: true; claims: ActionLinkClaims } | { ok: false; reason: ActionLinkTokenProblem };

const HEADER = (1 << 4) | 1;
const BODY_BYTES = 1 + 16 + 16 + 4;

/** The action links' signing key, derived from the instance's encryption key under its own label. */
export function actionLinkKey(encryptionKeyHex: string): Buffer {
  return deriveSigningKey(encryptionKeyHex, 'nightshift action links v1');
}

export function signActionLink(key: Buffer, claims: ActionLinkClaims): string {
  if (!isUuid(claims.tenantId) || !isUuid(claims.linkId)) throw new TypeError('tenantId and linkId must be uuids');
  const body = Buffer.alloc(BODY_BYTES);
  body[0] = HEADER;
  uuidBytes(claims.tenantId).copy(body, 1);
  uuidBytes(claims.linkId).copy(body, 17);
  body.writeUInt32BE(expirySeconds(claims.expiresAt), 33);
  return Buffer.concat([body, tokenMac(key, body)]).toString('base64url');
}

/**
 * The claims of a token this key signed, if not expired at `now`. Malformed (not one of ours in
 * shape), forged (the MAC does not match) and expired (authentic, too late) are told apart: the
 * pages answer 404, 403 and 410.
 */
export function verifyActionLink(key: Buffer, token: string, now: Date): VerifiedActionLink {
  const bytes = canonicalBytes(token);
  if (!bytes || bytes.length !== BODY_BYTES + MAC_BYTES || bytes[0] !== HEADER)
    return { ok: false, reason: 'malformed' };
  const body = bytes.subarray(0, BODY_BYTES);
  if (!timingSafeEqual(tokenMac(key, body), bytes.subarray(BODY_BYTES))) return { ok: false, reason: 'forged' };
  const expiresAt = new Date(body.readUInt32BE(33) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: { tenantId: uuidString(body.subarray(1, 17)), linkId: uuidString(body.subarray(17, 33)), expiresAt },
  };
}

/**
 * The code the confirmation page's form carries, bound to its token: a POST without it (a mail
 * scanner or a script replaying the link's address) does nothing. Not a secret from the link's
 * holder, who can read the page: it proves the POST came from the page, not who sent it.
 */
export function confirmationCode(key: Buffer, token: string): string {
  // 'confirm\0' first: never the 37-byte body of a token, so never a token's MAC.
  return tokenMac(key, Buffer.from(`confirm\0${token}`)).toString('base64url');
}

export function isConfirmationCode(key: Buffer, token: string, code: string): boolean {
  return sameText(code, confirmationCode(key, token));
}
