import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { inLoaderRound, query } from '../src/core/db';
import { sql } from '../src/core/sql';
import { PreparingClient } from '../src/db/preparing-client';
import { connectPreparingClient } from './support/database';
import { harness, type Harness } from './support/harness';

/**
 * Loader rounds: the small reads DataLoader batch functions start together travel to PostgreSQL as one message of
 * `EXECUTE`s (src/core/db.ts, `PreparingClient.queryBatch`). Each caller must get exactly what it would have got from
 * its own statement, and a failing statement must fail only its own caller.
 */

describe('PreparingClient.queryBatch', () => {
  // Typed as the pg client it replaces (its `query` is pg's); `batch` is what it adds.
  let client: Client;
  const batch = (statements: Parameters<PreparingClient['queryBatch']>[0]) => (client as unknown as PreparingClient).queryBatch(statements);
  beforeEach(async () => {
    client = await connectPreparingClient();
  });
  afterEach(() => client.end());

  // A statement prepared by SQL shows the whole message it came in as its text: compare names and parameter types.
  const prepared = async (): Promise<string[]> =>
    (await client.query('SELECT name, parameter_types::text AS types FROM pg_prepared_statements ORDER BY types')).rows.map((r: { types: string }) => r.types);

  // Values of every kind the registry binds, with the characters a literal must survive.
  const statements: Array<{ text: string; values: unknown[] }> = [
    { text: 'SELECT $1::text AS t, $2::text IS NULL AS is_null', values: [`O'Brien \\ «Круг» "x" {a,b}`, null] },
    { text: 'SELECT $1::bigint[] AS ids, $2::text[] AS names', values: [['1', '22', '333'], ['a,b', 'c"d', 'e\\f', "g'h", '{i}']] },
    { text: 'SELECT $1::timestamptz AS at, $2::date AS day, $3::boolean AS yes, $4::numeric AS n', values: [new Date('2024-05-06T07:08:09.123Z'), '2024-02-29', true, '12.50'] },
    { text: 'SELECT 7 AS seven', values: [] },
  ];

  test('answers each statement as its own query would, in order', async () => {
    const one = await connectPreparingClient();
    try {
      const expected = [];
      for (const s of statements) expected.push((await one.query(s.text, s.values)).rows);
      const results = await batch(statements);
      expect(results.map((r) => r.rows)).toEqual(expected);
      expect(results[1].rows[0].names).toEqual(['a,b', 'c"d', 'e\\f', "g'h", '{i}']);
    } finally {
      await one.end();
    }
  });

  test('prepares each text once, under the name query() uses, so either path reuses it', async () => {
    await batch(statements.slice(0, 2));
    await batch(statements.slice(0, 2));
    expect((await client.query(statements[0].text, ['again', 'x'])).rows).toEqual([{ t: 'again', is_null: false }]);
    expect(await prepared()).toEqual(['{bigint[],text[]}', '{text,text}']);
  });

  test('a failing statement fails the batch, keeps the connection usable and what it prepared known', async () => {
    const divide = 'SELECT 10 / $1::int AS q';
    await expect(batch([statements[0], { text: divide, values: [0] }, statements[1]])).rejects.toThrow(/division by zero/);
    // The first PREPARE survived the failure; pg is told, so query() executes it instead of preparing it twice.
    expect((await client.query(statements[0].text, ['ok', null])).rows).toEqual([{ t: 'ok', is_null: true }]);
    expect((await client.query(divide, [5])).rows).toEqual([{ q: 2 }]);
    expect((await batch([{ text: divide, values: [2] }, statements[3]])).map((r) => r.rows)).toEqual([[{ q: 5 }], [{ seven: 7 }]]);
  });
});

describe('loader rounds through the pool', () => {
  let h: Harness;
  let db: DataSource;
  beforeAll(async () => {
    h = await harness();
    db = h.db;
  });
  afterAll(() => h.close());
  afterEach(() => jest.restoreAllMocks());

  test('reads started in one loader round travel as one message, each caller getting its own rows', async () => {
    const batches = jest.spyOn(PreparingClient.prototype, 'queryBatch');
    const answers = inLoaderRound(() => [
      query<{ n: number }>(db, sql`SELECT ${1}::int AS n`),
      query<{ code: string }>(db, sql`SELECT code FROM unnest(${['77', '54']}::text[]) AS code ORDER BY code`),
      query<{ s: string }>(db, sql`SELECT ${'a'}::text || ${'b'}::text AS s`),
    ]);
    const alone = query<{ n: number }>(db, sql`SELECT ${2}::int AS n`);
    expect(await Promise.all(answers)).toEqual([[{ n: 1 }], [{ code: '54' }, { code: '77' }], [{ s: 'ab' }]]);
    expect(await alone).toEqual([{ n: 2 }]);
    expect(batches).toHaveBeenCalledTimes(1);
    expect(batches.mock.calls[0][0]).toHaveLength(3);
  });

  test('a failing read of a round fails only its own caller', async () => {
    const [good, bad, other] = inLoaderRound(() => [
      query<{ n: number }>(db, sql`SELECT ${3}::int AS n`),
      query(db, sql`SELECT 1 / ${0}::int AS q`),
      query<{ n: number }>(db, sql`SELECT ${4}::int AS n`),
    ]);
    await expect(bad).rejects.toThrow(/division by zero/);
    expect(await good).toEqual([{ n: 3 }]);
    expect(await other).toEqual([{ n: 4 }]);
  });

  test('a statement whose table changed under it (a migration while serving) is prepared again and answered', async () => {
    await db.query('DROP TABLE IF EXISTS loader_round_probe');
    await db.query('CREATE TABLE loader_round_probe (id int PRIMARY KEY, a text)');
    await db.query(`INSERT INTO loader_round_probe VALUES (1, 'x')`);
    const round = () =>
      Promise.all(
        inLoaderRound(() => [
          query<Record<string, unknown>>(db, sql`SELECT * FROM loader_round_probe WHERE id = ${1}::int`),
          query<{ n: number }>(db, sql`SELECT ${5}::int AS n`),
        ]),
      );
    // Every pooled connection has the statement prepared before the table changes.
    for (let i = 0; i < 12; i++) expect((await round())[0]).toEqual([{ id: 1, a: 'x' }]);
    await db.query(`ALTER TABLE loader_round_probe ADD COLUMN b text DEFAULT 'y'`);
    for (let i = 0; i < 12; i++) expect(await round()).toEqual([[{ id: 1, a: 'x', b: 'y' }], [{ n: 5 }]]);
    await db.query('DROP TABLE loader_round_probe');
  });
});
