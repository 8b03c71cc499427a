import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded';

declare global {
  // eslint-disable-next-line no-var
  var __KRUG_TEARDOWN__: (() => Promise<void>) | undefined;
}

/**
 * Starts the PostgreSQL the tests run against, once for the whole run: a throwaway embedded server,
 * or a fresh database on TEST_DATABASE_URL's server when one is given.
 */
export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const database = `krug_test_${process.pid}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    process.env.DATABASE_URL = url.toString();
    process.env.KRUG_TEST_SERVER_URL = url.toString();
    globalThis.__KRUG_TEARDOWN__ = async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      // The run's database, its template and the per-file clones (test/support/database.ts).
      const clones = await client.query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [database, `${database}\\_%`]);
      for (const row of clones.rows as Array<{ datname: string }>) await client.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
      await client.end();
    };
    return;
  }
  const logs: string[] = [];
  const embedded = await startEmbeddedPostgres({
    dataDir: path.resolve(__dirname, '..', '..', '.data', `test-${process.pid}`),
    persistent: false,
    log: (line) => logs.push(line),
  }).catch((error: unknown) => {
    console.error(logs.join('\n'));
    throw error;
  });
  process.env.DATABASE_URL = embedded.url;
  process.env.KRUG_TEST_SERVER_URL = embedded.url;
  globalThis.__KRUG_TEARDOWN__ = () => embedded.stop();
}
