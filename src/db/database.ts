import { MigrationExecutor, type DataSource } from 'typeorm';
import type { Config } from '../config';
import { log } from '../core/logger';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';

/** The database the process works on, and how to let it go. */
export interface Database {
  dataSource: DataSource;
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL with the persistent data directory. */
export async function openDatabase(config: Config): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    log('info', 'no DATABASE_URL: starting embedded PostgreSQL', { dataDir: config.dataDir });
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      persistent: true,
      port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
      log: (line) => log('debug', 'postgres', { line }),
    });
    url = embedded.url;
  }
  const dataSource = createDataSource(url, config.pool);
  await dataSource.initialize();
  return {
    dataSource,
    embedded,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      if (embedded) await embedded.stop();
    },
  };
}

/**
 * Applies pending migrations; returns the names applied. They run on one connection whose statement timeout is
 * lifted for the while (an index on a national registry takes minutes) and restored before it goes back to the pool.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SET statement_timeout = 0');
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((m) => m.name);
  } finally {
    // RESET returns to the value the session started with (the pool's statement_timeout). Should it fail, the
    // connection at worst keeps running without a timeout, as every connection did before the limit existed.
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
  }
}

/** Ready: the database answers and no migration is pending. */
export async function isReady(dataSource: DataSource): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  await dataSource.query('SELECT 1');
  return !(await dataSource.showMigrations());
}
