import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSchemaTypes, SCHEMA_TYPES_FILE } from '../scripts/support/schema-types.ts';
import { createScratchDatabase } from '../scripts/support/scratch-database.ts';
import { postgresServerUrl } from './support/test-db.ts';

describe('generated Kysely types', () => {
  it('match the migrations (run `npm run db:types` after adding one)', async () => {
    const scratch = await createScratchDatabase(postgresServerUrl());
    const dir = mkdtempSync(join(tmpdir(), 'schema-types-'));
    try {
      const out = join(dir, 'schema.ts');
      await generateSchemaTypes(out, scratch.url);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(SCHEMA_TYPES_FILE, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await scratch.drop();
    }
  });
});
