import { Client } from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { migrate } from '../../src/db/database';
import { PreparingClient } from '../../src/db/preparing-client';

/**
 * Each test file gets its own database, cloned from a template that the first file migrates, so that
 * no file sees another's rows (counts, demo data and "none of them" assertions stay exact) and files can run
 * in any order. Cloning a template takes a fraction of a second; the run's server is thrown away at the end.
 */

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function ensureTemplate(serverUrl: string, template: string): Promise<void> {
  const exists = await admin(serverUrl, async (client) => {
    // One file at a time creates the template; a lock keeps parallel workers from racing.
    await client.query('SELECT pg_advisory_lock(874201)');
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (found.rowCount) {
      await client.query('SELECT pg_advisory_unlock(874201)');
      return true;
    }
    try {
      await client.query(`CREATE DATABASE ${template}`);
      const dataSource = createDataSource(withDatabase(serverUrl, template));
      await dataSource.initialize();
      try {
        await migrate(dataSource);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(874201)');
    }
    return false;
  });
  void exists;
}

let fileDatabase: Promise<string> | undefined;

/** The URL of this test file's own migrated database (created on first use). */
export function testDatabaseUrl(): Promise<string> {
  fileDatabase ??= (async () => {
    const serverUrl = process.env.KRUG_TEST_SERVER_URL ?? process.env.DATABASE_URL!;
    const base = new URL(serverUrl).pathname.slice(1) || 'krug_test';
    const template = `${base}_template`;
    await ensureTemplate(serverUrl, template);
    const database = `${base}_f${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    await admin(serverUrl, (client) => client.query(`CREATE DATABASE ${database} TEMPLATE ${template}`));
    return withDatabase(serverUrl, database);
  })();
  return fileDatabase;
}

/** A client of the kind the server's pool uses (`PreparingClient`), connected to this file's database; typed as the pg client it replaces. */
export async function connectPreparingClient(): Promise<Client> {
  const client: Client = new PreparingClient({ connectionString: await testDatabaseUrl() });
  await client.connect();
  return client;
}
