import { describe, expect, it } from 'vitest';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';

describe('token cipher', () => {
  const cipher = createTokenCipher('11'.repeat(32));

  it('round-trips, with a different ciphertext each time and no plaintext in it', () => {
    const a = cipher.encrypt('EAAB-page-token');
    const b = cipher.encrypt('EAAB-page-token');
    expect(a).not.toBe(b);
    expect(a).not.toContain('EAAB');
    expect(cipher.decrypt(a)).toBe('EAAB-page-token');
  });

  it('refuses a tampered value and a value encrypted under another key', () => {
    const stored = cipher.encrypt('secret');
    const parts = stored.split('.');
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], flipped].join('.'))).toThrow();
    expect(() => createTokenCipher('22'.repeat(32)).decrypt(stored)).toThrow();
  });

  it('rejects a key that is not 256 bits', () => {
    expect(() => createTokenCipher('abcd')).toThrow(/32 bytes/);
  });
});
