// Encryption at rest for third-party credentials (social platform tokens): AES-256-GCM with a
// random 96-bit IV per value. Stored as 'v1.<iv>.<tag>.<ciphertext>' in base64url, so a future key
// rotation can add 'v2' values beside old ones.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface TokenCipher {
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
}

export function createTokenCipher(hexKey: string): TokenCipher {
  const key = Buffer.from(hexKey, 'hex');
  if (key.length !== 32) throw new Error('the encryption key must be 32 bytes (64 hex characters)');
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    decrypt(stored) {
      const [version, iv, tag, ciphertext] = stored.split('.');
      if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('not an encrypted token');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
