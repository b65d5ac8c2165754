// Secrets of the embedded product. With DATABASE_URL they come from the environment (required,
// see config.ts). Without it, the missing ones are generated once and kept in
// <data dir>/secrets.json (mode 0600), so tokens and encrypted columns survive a restart.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config, Secrets } from './config.ts';

const storedSchema = z.object({
  jwtSecret: z.string().min(32),
  internalSecret: z.string().min(32),
  encryptionKey: z.string().regex(/^[0-9a-f]{64}$/i),
});

export function resolveSecrets(config: Config): Secrets {
  const given = config.secrets;
  if (config.database.kind === 'postgres') {
    // config.ts has already required these.
    return given as Secrets;
  }
  const file = join(config.dataDir, 'secrets.json');
  let stored: z.infer<typeof storedSchema>;
  if (existsSync(file)) {
    const parsed = storedSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is damaged; restore it or delete it (existing tokens stop working)`);
    stored = parsed.data;
  } else {
    stored = {
      jwtSecret: randomBytes(32).toString('hex'),
      internalSecret: randomBytes(32).toString('hex'),
      encryptionKey: randomBytes(32).toString('hex'),
    };
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return {
    jwtSecret: given.jwtSecret ?? (config.jwksUrl ? undefined : stored.jwtSecret),
    internalSecret: given.internalSecret ?? stored.internalSecret,
    encryptionKey: given.encryptionKey ?? stored.encryptionKey,
  };
}
