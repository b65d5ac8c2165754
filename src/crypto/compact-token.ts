// What the install's compact signed tokens share (the tracking links' in src/delivery/tracking-token.ts,
// the action links' in src/notify/action-link-token.ts): a signing key of their own derived from the
// encryption key, a MAC truncated to 16 bytes, uuids as 16 raw bytes, expiries as 4-byte seconds,
// and base64url with exactly one spelling per token.
import { createHmac, createSecretKey, hkdfSync, type KeyObject, timingSafeEqual } from 'node:crypto';

/** Bytes of MAC a token carries (why 16: src/delivery/tracking-token.ts). */
export const MAC_BYTES = 16;
const MAX_EXPIRY_SECONDS = 0xffff_ffff;

/**
 * A signing key derived from the instance's encryption key (64 hex characters) with HKDF-SHA256
 * under `label`: the encryption key itself never signs, a leaked signing key decrypts nothing, and
 * each label's key signs only its own tokens.
 */
export function deriveSigningKey(encryptionKeyHex: string, label: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(encryptionKeyHex)) {
    throw new Error('the encryption key must be 32 bytes (64 hex characters)');
  }
  // No salt: the input is already a uniformly random key (RFC 5869 §3.1).
  return Buffer.from(hkdfSync('sha256', Buffer.from(encryptionKeyHex, 'hex'), Buffer.alloc(0), label, 32));
}

/**
 * The key as a KeyObject, made once per key: Node 24's createHmac spends some 20 µs recognising a
 * Buffer as a key on every call (prepareSecretKey's KeyObject and CryptoKey checks), against 4 µs
 * a call given a KeyObject. A message carries five tokens: 100,000 messages' tokens took 8.0-8.8 s
 * from the Buffer, 1.9-2.0 s from the KeyObject (this 2-core machine, Node 24.21); they were three
 * quarters of the time a claim spent rendering.
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();

/** HMAC-SHA256 of `body`, truncated to MAC_BYTES. */
export function tokenMac(key: Buffer, body: Buffer): Buffer {
  // A short key is a wiring mistake (an empty buffer would sign for anyone), never a bad token.
  if (key.length < 32) throw new TypeError('the signing key must be at least 32 bytes (see deriveSigningKey)');
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = createSecretKey(key);
    keyObjects.set(key, keyObject);
  }
  return createHmac('sha256', keyObject).update(body).digest().subarray(0, MAC_BYTES);
}

/** An expiry as seconds since 1970 for 4 unsigned bytes (good until 2106). */
export function expirySeconds(expiresAt: Date): number {
  const seconds = Math.floor(expiresAt.getTime() / 1000);
  if (!(seconds >= 0 && seconds <= MAX_EXPIRY_SECONDS)) throw new TypeError('the expiry is out of range');
  return seconds;
}

/** A token's bytes, if it is base64url in its one canonical spelling (the spare bits zero); else undefined. */
export function canonicalBytes(token: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  return bytes.toString('base64url') === token ? bytes : undefined;
}

export const uuidBytes = (uuid: string) => Buffer.from(uuid.replaceAll('-', ''), 'hex');

export function uuidString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether two texts are equal, in time that does not tell how much of `given` was right. */
export function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
