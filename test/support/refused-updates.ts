// A failure injected into one row: while `work` runs, the database refuses every UPDATE of the row
// `id` of `table` with `message` (a trigger, dropped afterwards whatever happens).
import type { Database } from '../../src/db/port.ts';

export async function whileUpdatesAreRefused(
  db: Database,
  target: { table: 'campaigns' | 'content_variants'; id: string; message: string },
  work: () => Promise<void>,
): Promise<void> {
  const trigger = `refuse_${target.id.replaceAll('-', '_')}`;
  await db.session((s) =>
    s.exec(`
      CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '${target.message.replaceAll("'", "''")}'; END $$;
      CREATE TRIGGER ${trigger} BEFORE UPDATE ON ${target.table} FOR EACH ROW
        WHEN (OLD.id = '${target.id}') EXECUTE FUNCTION ${trigger}();`),
  );
  try {
    await work();
  } finally {
    await db.session((s) => s.exec(`DROP TRIGGER ${trigger} ON ${target.table}; DROP FUNCTION ${trigger}();`));
  }
}
