// A table that another transaction is analyzing or vacuuming is skipped by analyzeAfterBulk rather
// than waited for: concurrent stats batches do not queue behind each other's ANALYZE.
import { describe, expect, it } from 'vitest';
import { analyzeAfterBulk } from '../src/db/analyze-after-bulk.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { createTenant } from './support/scenario.ts';

describe('statistics after bulk writes, concurrently', () => {
  it('skips a table whose ANALYZE lock another transaction holds, and analyzes it once free', async () => {
    const db = await freshDatabase();
    try {
      const t = await createTenant(db);
      await db.session((s) =>
        s.query(
          `INSERT INTO contacts (tenant_id, email) SELECT $1, 'c' || g || '@example.com' FROM generate_series(1, 5000) g`,
          [t.tenantId],
        ),
      );
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // What ANALYZE and VACUUM (autovacuum's too) hold while they run.
      const holder = db.transaction(async (s) => {
        await s.exec('LOCK TABLE contacts IN SHARE UPDATE EXCLUSIVE MODE');
        locked();
        await released;
      });
      await isLocked;
      // Waiting here would never end: the holder lets go only after this returns.
      const inserted = { contacts: 5000 };
      expect(await db.transaction((s) => analyzeAfterBulk(s, inserted))).toEqual([]);
      release();
      await holder;
      expect(await db.transaction((s) => analyzeAfterBulk(s, inserted))).toEqual(['contacts']);
    } finally {
      await db.close();
    }
  });
});
