import type { Client } from 'pg';
import { connectPreparingClient } from './support/database';
import { harness } from './support/harness';
import { MAX_PREPARED_PER_CONNECTION } from '../src/db/preparing-client';

/**
 * The server's pool prepares each parameterised statement once per connection (PostgreSQL then skips parsing it and
 * may keep its plan). These tests look at the connection's own `pg_prepared_statements`.
 */

// Typed as the pg client it replaces: callers see the same API.
let client: Client;
beforeEach(async () => {
  client = await connectPreparingClient();
});
afterEach(() => client.end());

const prepared = async (): Promise<string[]> =>
  (await client.query('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time')).rows.map((r: { statement: string }) => r.statement);

test('a parameterised statement is prepared once and reused with other values', async () => {
  const text = 'SELECT $1::int + 1 AS next';
  expect((await client.query(text, [1])).rows).toEqual([{ next: 2 }]);
  expect((await client.query(text, [41])).rows).toEqual([{ next: 42 }]);
  expect(await prepared()).toEqual([text]);
});

test('a statement without parameters is not prepared (DDL, SET and several commands in one text still work)', async () => {
  await client.query('SET application_name = $$krug-test$$; SELECT 1');
  await client.query('SELECT 2 AS two', []);
  expect(await prepared()).toEqual([]);
});

test('a failing statement leaves the connection usable and the same text can run again', async () => {
  const text = 'SELECT 10 / $1::int AS q';
  await expect(client.query(text, [0])).rejects.toThrow(/division by zero/);
  expect((await client.query(text, [5])).rows).toEqual([{ q: 2 }]);
  await expect(client.query('SELECT nonsense FROM nowhere WHERE x = $1', [1])).rejects.toThrow(/does not exist/);
  expect(await prepared()).toEqual([text]);
});

test(`a connection keeps at most ${MAX_PREPARED_PER_CONNECTION} named statements; further texts run unnamed`, async () => {
  for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 5; i++) {
    expect((await client.query(`SELECT $1::int + ${i} AS n`, [1])).rows[0].n).toBe(1 + i);
  }
  expect(await prepared()).toHaveLength(MAX_PREPARED_PER_CONNECTION);
  // A text prepared before the limit is still reused.
  expect((await client.query('SELECT $1::int + 0 AS n', [7])).rows[0].n).toBe(7);
  expect(await prepared()).toHaveLength(MAX_PREPARED_PER_CONNECTION);
});

test('the server pool plans every call for its own values (no generic plans)', async () => {
  const h = await harness();
  try {
    const rows: Array<{ plan_cache_mode: string }> = await h.db.query('SHOW plan_cache_mode');
    expect(rows[0].plan_cache_mode).toBe('force_custom_plan');
  } finally {
    await h.close();
  }
});

test('a migration that changes the columns a prepared statement returns does not break it (a rolling deploy)', async () => {
  const table = `prepared_probe_${process.pid}`;
  await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
  try {
    await client.query(`INSERT INTO ${table} VALUES (1)`);
    const text = `SELECT * FROM ${table} WHERE id = $1`;
    expect((await client.query(text, [1])).rows).toEqual([{ id: 1 }]);
    for (const column of ['note', 'other']) {
      // PostgreSQL refuses a prepared `*` whose columns changed ("cached plan must not change result type").
      await client.query(`ALTER TABLE ${table} ADD COLUMN ${column} text DEFAULT 'x'`);
      const rows = (await client.query(text, [1])).rows;
      expect(Object.keys(rows[0])).toContain(column);
    }
    // The callback form (pg-pool's) heals the same way.
    await client.query(`ALTER TABLE ${table} DROP COLUMN note`);
    const viaCallback = await new Promise<unknown[]>((resolve, reject) =>
      (client.query as (t: string, v: unknown[], cb: (e: Error | null, r?: { rows: unknown[] }) => void) => void)(text, [1], (e, r) => (e ? reject(e) : resolve(r!.rows))),
    );
    expect(viaCallback).toEqual([{ id: 1, other: 'x' }]);
  } finally {
    await client.query(`DROP TABLE ${table}`);
  }
});
