import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { migrate, openDatabase } from '../src/db/database';

/** Applies pending migrations to DATABASE_URL (or the embedded database) and exits. */
async function main(): Promise<void> {
  const database = await openDatabase(loadConfig());
  try {
    const applied = await migrate(database.dataSource);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
