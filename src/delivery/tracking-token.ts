// The tokens in a message's open pixel, click, unsubscribe and one-click (RFC 8058) URLs: what the
// URL does, for which message, until when, signed so no one can make or alter one.
//
// Layout, then base64url (no padding):
//   1 byte   version (high 4 bits, 1) and kind (low 4 bits: 1 open, 2 click, 3 unsubscribe)
//   16 bytes tenant uuid, 16 bytes message uuid
//   2 bytes  link index, big-endian (click tokens only)
//   4 bytes  expiry, seconds since 1970, big-endian (unsigned: good until 2106)
//   16 bytes HMAC-SHA256 of all of the above, truncated
// 53 bytes (71 characters) for open and unsubscribe, 55 (74) for a click: short enough for a
// header line and an SMS. The kind is inside the MAC, so an open token is never an unsubscribe.
//
// Why 16 bytes of MAC: a forger must guess a tag the server checks online, one request at a time;
// 2^128 guesses is out of reach however long a token lives (RFC 2104 §5 and NIST SP 800-107 allow
// truncation to half the output), and 16 more bytes would add 22 characters to every URL.
import { timingSafeEqual } from 'node:crypto';
import {
  canonicalBytes,
  deriveSigningKey,
  expirySeconds,
  MAC_BYTES,
  tokenMac as mac,
  uuidBytes,
  uuidString,
} from '../crypto/compact-token.ts';
import { isUuid } from '../domain/ids.ts';

export type TrackingKind = 'open' | 'click' | 'unsubscribe';

export interface TrackingPayload {
  kind: TrackingKind;
  tenantId: string;
  messageId: string;
  /** The index into the message's links (click tokens only). */
  link?: number;
}

export type TokenProblem = 'malformed' | 'forged' | 'expired';

export type VerifiedToken =
  | { ok: true; payload: TrackingPayload; expiresAt: Date }
  | { ok: false; reason: TokenProblem };

const VERSION = 1;
const KIND_CODES: Record<TrackingKind, number> = { open: 1, click: 2, unsubscribe: 3 };
const KINDS = new Map<number, TrackingKind>(
  Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as TrackingKind]),
);

/**
 * The signing key, derived from the instance's encryption key (64 hex characters) with HKDF-SHA256:
 * the encryption key itself never signs, and a leaked tracking key decrypts nothing.
 */
export function trackingKey(encryptionKeyHex: string): Buffer {
  return deriveSigningKey(encryptionKeyHex, 'nightshift tracking v1');
}

export function signToken(key: Buffer, payload: TrackingPayload, expiresAt: Date): string {
  const code = KIND_CODES[payload.kind];
  if (code === undefined) throw new TypeError(`unknown token kind ${String(payload.kind)}`);
  if (!isUuid(payload.tenantId) || !isUuid(payload.messageId)) {
    throw new TypeError('tenantId and messageId must be uuids');
  }
  const isClick = payload.kind === 'click';
  if (isClick !== (payload.link !== undefined))
    throw new TypeError('a click token, and only a click token, has a link');
  if (isClick && !(Number.isInteger(payload.link) && payload.link! >= 0 && payload.link! <= 0xffff)) {
    throw new TypeError('the link index must be an integer from 0 to 65535');
  }
  const seconds = expirySeconds(expiresAt);
  const body = Buffer.alloc(bodyLength(isClick));
  body[0] = (VERSION << 4) | code;
  uuidBytes(payload.tenantId).copy(body, 1);
  uuidBytes(payload.messageId).copy(body, 17);
  if (isClick) body.writeUInt16BE(payload.link!, 33);
  body.writeUInt32BE(seconds, body.length - 4);
  return Buffer.concat([body, mac(key, body)]).toString('base64url');
}

/**
 * The payload of a token this key signed and that has not expired at `now`. Malformed (not one of
 * ours in shape), forged (the MAC does not match: altered, truncated to another valid length, or
 * another key's) and expired (authentic, too late) are told apart for logs and responses.
 */
export function verifyToken(key: Buffer, token: string, now: Date): VerifiedToken {
  // One spelling per token: base64url's spare bits in the last character must be zero.
  const bytes = canonicalBytes(token);
  if (!bytes) return { ok: false, reason: 'malformed' };
  const kind = KINDS.get(bytes[0]! & 0x0f);
  if (bytes[0]! >> 4 !== VERSION || kind === undefined) return { ok: false, reason: 'malformed' };
  const length = bodyLength(kind === 'click');
  if (bytes.length !== length + MAC_BYTES) return { ok: false, reason: 'malformed' };
  const body = bytes.subarray(0, length);
  if (!timingSafeEqual(mac(key, body), bytes.subarray(length))) return { ok: false, reason: 'forged' };
  const expiresAt = new Date(body.readUInt32BE(length - 4) * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: 'expired' };
  const payload: TrackingPayload = {
    kind,
    tenantId: uuidString(body.subarray(1, 17)),
    messageId: uuidString(body.subarray(17, 33)),
  };
  if (kind === 'click') payload.link = body.readUInt16BE(33);
  return { ok: true, payload, expiresAt };
}

const bodyLength = (isClick: boolean) => 1 + 16 + 16 + (isClick ? 2 : 0) + 4;
