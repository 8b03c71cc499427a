import type { Client } from 'pg';
import { types } from 'pg';
import { connectPreparingClient } from './support/database';
import { parseTimestamptz } from '../src/db/timestamps';
import '../src/db/data-source';

/**
 * Timestamps are read by position (src/db/timestamps.ts). Every text PostgreSQL sends must give the instant PostgreSQL
 * means, to the millisecond, whatever the session's time zone, and what the fast path does not know goes to pg's parser.
 */

let client: Client;
beforeAll(async () => {
  client = await connectPreparingClient();
});
afterAll(() => client.end());

const VALUES = [
  '2025-03-04 10:11:12+00',
  '2025-03-04 10:11:12.5+00',
  '2025-03-04 10:11:12.57+00',
  '2025-03-04 10:11:12.123456+00',
  '2025-03-04 10:11:12.999999+00',
  '2024-02-29 23:59:59.001+00',
  '1999-12-31 23:59:59.999+00',
  '2026-11-24 13:49:06.000001+00',
  '1970-01-01 00:00:00+00',
  '1900-01-01 00:00:00+00',
  '0099-06-01 12:00:00+00',
  '0001-01-01 00:00:00+00',
  '12345-01-01 00:00:00+00',
  '0044-03-15 12:00:00+00 BC',
];

test.each(['UTC', 'Europe/Moscow', 'Asia/Kolkata', 'America/St_Johns', 'Asia/Kamchatka'])(
  'every timestamp PostgreSQL sends in time zone %s is the instant it means, to the millisecond',
  async (zone) => {
    await client.query(`SET TIME ZONE '${zone}'`);
    const { rows } = await client.query<{ text: string; ms: string }>(
      `SELECT t::text AS text, floor(extract(epoch FROM t) * 1000)::bigint::text AS ms FROM unnest($1::timestamptz[]) AS t`,
      [VALUES],
    );
    expect(rows).toHaveLength(VALUES.length);
    for (const row of rows) {
      const parsed = parseTimestamptz(row.text);
      expect(parsed).toBeInstanceOf(Date);
      expect({ text: row.text, ms: (parsed as Date).getTime() }).toEqual({ text: row.text, ms: Number(row.ms) });
    }
  },
);

test('what the fast path does not read is left to pg parser (infinity, BC, five-digit years)', () => {
  expect(parseTimestamptz('infinity')).toBe(Infinity);
  expect(parseTimestamptz('-infinity')).toBe(-Infinity);
  expect((parseTimestamptz('0044-03-15 12:00:00+00 BC') as Date).getUTCFullYear()).toBe(-43);
  expect((parseTimestamptz('12345-01-01 00:00:00+00') as Date).getUTCFullYear()).toBe(12345);
});

test('the server reads timestamptz columns with it', async () => {
  expect(types.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
  await client.query(`SET TIME ZONE 'Asia/Kolkata'`);
  const { rows } = await client.query<{ at: Date }>(`SELECT '2025-03-04 10:11:12.345+00'::timestamptz AS at`);
  expect(rows[0].at.toISOString()).toBe('2025-03-04T10:11:12.345Z');
});
