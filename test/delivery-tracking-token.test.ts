// Tracking tokens: they round-trip, and nothing but this key's unexpired, unaltered tokens pass.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signToken, type TrackingPayload, trackingKey, verifyToken } from '../src/delivery/tracking-token.ts';

const encryptionKey = 'a1'.repeat(32);
const key = trackingKey(encryptionKey);
const tenantId = '0b3c2f9e-1111-4222-8333-444455556666';
const messageId = 'a1b2c3d4-0000-4000-8000-000000000001';
const now = new Date('2026-11-21T12:00:00Z');
const later = new Date('2027-02-19T12:00:00Z');

const open: TrackingPayload = { kind: 'open', tenantId, messageId };
const click: TrackingPayload = { kind: 'click', tenantId, messageId, link: 3 };
const unsubscribe: TrackingPayload = { kind: 'unsubscribe', tenantId, messageId };

/** The token with byte `at` replaced by what `change` makes of it. */
function alter(token: string, at: number, change: (byte: number) => number): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[at] = change(bytes[at]!) & 0xff;
  return bytes.toString('base64url');
}

describe('tracking tokens', () => {
  it('round-trip every kind in a short URL-safe string', () => {
    for (const payload of [open, click, unsubscribe]) {
      const token = signToken(key, payload, later);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(token).toHaveLength(payload.kind === 'click' ? 74 : 71);
      expect(verifyToken(key, token, now)).toEqual({ ok: true, payload, expiresAt: later });
    }
  });

  it('names uuids in lower case whatever case they were signed in', () => {
    const token = signToken(key, { kind: 'open', tenantId: tenantId.toUpperCase(), messageId }, later);
    expect(verifyToken(key, token, now)).toMatchObject({ ok: true, payload: { tenantId } });
  });

  it('expire at their second: valid just before, expired from then on', () => {
    const token = signToken(key, click, later);
    expect(verifyToken(key, token, new Date(later.getTime() - 1)).ok).toBe(true);
    expect(verifyToken(key, token, later)).toEqual({ ok: false, reason: 'expired' });
    // Sub-second expiries are cut to the second: never later than asked.
    const cut = signToken(key, click, new Date(later.getTime() + 999));
    expect(verifyToken(key, cut, later)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token whose kind was swapped: an open token never unsubscribes', () => {
    const token = signToken(key, open, later);
    const swapped = alter(token, 0, (byte) => (byte & 0xf0) | 3);
    expect(verifyToken(key, swapped, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuse any altered field, an altered MAC, and another key', () => {
    const token = signToken(key, click, later);
    const forged = { ok: false, reason: 'forged' };
    const alterations: [string, number, (byte: number) => number][] = [
      ['tenant', 5, (b) => b ^ 1],
      ['message', 20, (b) => b ^ 1],
      ['link index', 34, (b) => b + 1],
      ['expiry, later', 36, (b) => b + 1],
      ['MAC', 54, (b) => b ^ 0x80],
    ];
    for (const [field, at, change] of alterations)
      expect(verifyToken(key, alter(token, at, change), now), field).toEqual(forged);
    expect(verifyToken(trackingKey('b2'.repeat(32)), token, now)).toEqual(forged);
    // Authenticity first: an altered expired token is forged, not merely expired.
    expect(
      verifyToken(
        key,
        alter(token, 5, (b) => b ^ 1),
        new Date('2030-01-01T00:00:00Z'),
      ),
    ).toEqual(forged);
  });

  it('call anything not shaped like a token malformed', () => {
    const token = signToken(key, click, later);
    const malformed = { ok: false, reason: 'malformed' };
    for (const bad of [
      '',
      token.slice(0, -1),
      token.slice(0, -3),
      token.slice(0, 71), // a click token cut to an open token's length
      `${token}AA`,
      `${token}=`,
      token.replace(/^./, '+'),
      'x'.repeat(500),
      alter(token, 0, (b) => (2 << 4) | (b & 0x0f)), // version 2
      alter(token, 0, (b) => (b & 0xf0) | 9), // no such kind
    ]) {
      expect(verifyToken(key, bad, now), bad).toEqual(malformed);
    }
    // The last character's spare bits must be zero: one spelling per token.
    const last = signToken(key, open, later);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = last.slice(0, -1) + alphabet[alphabet.indexOf(last.at(-1)!) ^ 1];
    expect(verifyToken(key, sibling, now)).toEqual(malformed);
  });

  it('are signed with a key derived from the encryption key, never with the encryption key itself', () => {
    expect(key).toHaveLength(32);
    expect(trackingKey(encryptionKey.toUpperCase())).toEqual(key);
    expect(key.equals(Buffer.from(encryptionKey, 'hex'))).toBe(false);
    // A token made with the raw encryption key (same layout, same MAC) does not verify.
    const body = Buffer.from(signToken(key, open, later), 'base64url').subarray(0, 37);
    const raw = createHmac('sha256', Buffer.from(encryptionKey, 'hex')).update(body).digest().subarray(0, 16);
    expect(verifyToken(key, Buffer.concat([body, raw]).toString('base64url'), now)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(() => trackingKey('abc')).toThrow(/64 hex/);
    expect(() => trackingKey('g'.repeat(64))).toThrow(/64 hex/);
    expect(() => signToken(Buffer.alloc(0), open, later)).toThrow(/at least 32 bytes/);
  });

  it('refuse to sign what they could not carry', () => {
    expect(() => signToken(key, { ...open, tenantId: 'not-a-uuid' }, later)).toThrow(/uuids/);
    expect(() => signToken(key, { ...open, link: 0 }, later)).toThrow(/only a click token/);
    expect(() => signToken(key, { kind: 'click', tenantId, messageId }, later)).toThrow(/only a click token/);
    expect(() => signToken(key, { ...click, link: 65_536 }, later)).toThrow(/0 to 65535/);
    expect(() => signToken(key, { ...click, link: 1.5 }, later)).toThrow(/0 to 65535/);
    expect(() => signToken(key, open, new Date('2107-01-01T00:00:00Z'))).toThrow(/expiry/);
    expect(() => signToken(key, open, new Date(Number.NaN))).toThrow(/expiry/);
  });

  it('round-trip any payload, and no single changed byte ever verifies', () => {
    const uuid = fc.uuid();
    const payload = fc.oneof(
      fc.record({ kind: fc.constantFrom('open' as const, 'unsubscribe' as const), tenantId: uuid, messageId: uuid }),
      fc.record({ kind: fc.constant('click' as const), tenantId: uuid, messageId: uuid, link: fc.nat(65_535) }),
    );
    fc.assert(
      fc.property(payload, fc.nat(), fc.integer({ min: 1, max: 255 }), (p, at, delta) => {
        const token = signToken(key, p, later);
        const verified = verifyToken(key, token, now);
        expect(verified).toEqual({
          ok: true,
          payload: { ...p, tenantId: p.tenantId.toLowerCase(), messageId: p.messageId.toLowerCase() },
          expiresAt: later,
        });
        const bytes = Buffer.from(token, 'base64url');
        const changed = alter(token, at % bytes.length, (b) => b + delta);
        expect(verifyToken(key, changed, now).ok).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});
