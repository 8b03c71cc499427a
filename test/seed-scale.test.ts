import { Client } from 'pg';
import { checkInvariants, countsFor, parseScale, seedScale, SEED_INVARIANTS } from '../scripts/seed-scale';

/**
 * seed-scale at a tiny fraction, in a database of its own on the test server: the generated registry keeps the
 * domain rules (SEED_INVARIANTS), a second run replaces it, and a database with other data is refused without --force.
 */

const serverUrl = process.env.DATABASE_URL!;
const database = `krug_seed_scale_${process.pid}`;
const url = (() => {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
})();

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${database}`);
    await c.query(`CREATE DATABASE ${database}`);
  });
});

afterAll(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
});

describe('seed-scale', () => {
  test('scales: regional is 100 000 families in 10 regions, national ten times that across more regions', () => {
    expect(parseScale('regional')).toBe(1);
    expect(parseScale('national')).toBe(10);
    expect(parseScale('0.01')).toBe(0.01);
    expect(() => parseScale('huge')).toThrow(/--scale/);
    expect(countsFor(1)).toMatchObject({ regions: 10, agencies: 2000, families: 100_000, conferences: 20_000 });
    expect(countsFor(10).families).toBe(1_000_000);
    expect(countsFor(10).regions).toBeGreaterThan(50);
  });

  test('a tiny registry keeps every domain rule, and a second run replaces it', async () => {
    const first = await seedScale({ scale: 0.003, databaseUrl: url, output: null });
    expect(first.totals.case).toBe(300);
    expect(first.totals.family).toBe(300);
    expect(first.totals.service_delivery).toBeGreaterThan(300 * 10);
    expect(first.totals.case_access_grant).toBeGreaterThan(300);
    expect(first.totals.case_conference).toBeGreaterThan(0);
    expect(first.totals.conference_item).toBeGreaterThan(0);
    expect(first.totals.placement_event).toBeGreaterThan(0);
    expect(await checkInvariants(url)).toEqual([]);
    expect(Object.keys(SEED_INVARIANTS).length).toBeGreaterThanOrEqual(20);

    const second = await seedScale({ scale: 0.003, databaseUrl: url, output: null });
    expect(second.totals).toEqual(first.totals);
    expect(await checkInvariants(url)).toEqual([]);
  }, 120_000);

  test('the generated indexes are exactly the migrations\' (dropped for the load, recreated from their definitions)', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const rows = await client.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname IN ('service_delivery_case_idx', 'case_number_key', 'referral_open_deadline_idx', 'service_delivery_referral_idx')`);
      expect(rows.rows.map((r) => r.name).sort()).toEqual(['case_number_key', 'referral_open_deadline_idx', 'service_delivery_case_idx', 'service_delivery_referral_idx']);
    } finally {
      await client.end();
    }
  });

  test('refuses a database that holds registry data it did not make, unless forced', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DELETE FROM program WHERE code = 'SEED-SCALE'`);
    } finally {
      await client.end();
    }
    await expect(seedScale({ scale: 0.002, databaseUrl: url, output: null })).rejects.toThrow(/refusing/);
    const forced = await seedScale({ scale: 0.002, databaseUrl: url, output: null, force: true });
    expect(forced.totals.case).toBe(200);
  }, 120_000);
});
