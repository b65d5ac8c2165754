import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { commandConfig } from './context.ts';
import { plural } from './plural.ts';

export async function migrateCommand(): Promise<void> {
  const { config } = commandConfig();
  const db = await openDatabase(config.database);
  try {
    const { applied, total } = await migrate(db);
    process.stdout.write(
      applied.length > 0
        ? `applied ${plural(applied.length, 'migration')}: ${applied.join(', ')}\n`
        : `database is up to date (${plural(total, 'migration')})\n`,
    );
  } finally {
    await db.close();
  }
}
