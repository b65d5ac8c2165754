import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { commandConfig } from './context.ts';

export async function migrateCommand(): Promise<void> {
  const { config } = commandConfig();
  const db = await openDatabase(config.database);
  try {
    const { applied, total } = await migrate(db);
    process.stdout.write(
      applied.length > 0
        ? `applied ${applied.length} migration(s): ${applied.join(', ')}\n`
        : `database is up to date (${total} migrations)\n`,
    );
  } finally {
    await db.close();
  }
}
