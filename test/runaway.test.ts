import request from 'supertest';
import { GraphQLError } from 'graphql';
import { Client } from 'pg';
import { harness, createCaller, type Caller, type Harness } from './support/harness';
import { createCase, createFamily } from './support/fixtures';
import { testDatabaseUrl } from './support/database';
import { W1_QUERY } from '../scripts/bench/workloads';
import { loadConfig } from '../src/config';
import { AgencyKind, Role } from '../src/core/auth/roles';
import { formatError, unavailableHead } from '../src/core/graphql/errors';
import { CaseStatus } from '../src/modules/cases/case.enums';

/**
 * Runaway queries cannot take the server down: the cost limit refuses a query asking for a million rows before any
 * SQL runs, PostgreSQL stops a statement that runs too long, and a request that finds no free connection in time is
 * answered 503 instead of queueing for ever.
 */

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());

/** Posts an operation over the real HTTP stack and keeps the whole response (status, headers, body). */
function post(app: Harness['app'], query: string, variables: Record<string, unknown>, caller: Caller) {
  return request(app)
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('accept', 'application/graphql-response+json, application/json')
    .set('authorization', `Bearer ${caller.token}`)
    .send({ query, variables });
}

/** What an error body must never contain: SQL, driver text, stack frames, file names. */
function expectNothingLeaks(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/SELECT|UPDATE\s|FROM\s|"case"|canceling statement|statement timeout|timeout exceeded|QueryFailedError|\bat .+:\d+:\d+|\.ts\b|\.js\b|stacktrace|exception/i);
}

describe('the cost limit against the benchmark', () => {
  test('W1 (a page of 50 cases with family, members, team, plan, referrals, last 5 services) passes the cost limit and answers', async () => {
    const coordinator = await createCaller(h, { roles: [Role.COORDINATOR], kind: AgencyKind.SOCIAL_PROTECTION, region: '54' });
    const lead = await createCaller(h, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION, region: '54' });
    for (let i = 0; i < 3; i++) {
      const family = await createFamily(h.db, { registeredBy: lead.agency.id });
      await createCase(h.db, { family, leadAgencyId: lead.agency.id, caseManagerId: lead.staff.id });
    }
    const response = await post(h.app, W1_QUERY, { first: 50 }, coordinator);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.cases.nodes.length).toBeGreaterThanOrEqual(3);
    const cost = response.body.extensions.cost;
    expect(typeof cost).toBe('number');
    expect(cost).toBeGreaterThan(50);
    expect(cost).toBeLessThanOrEqual(h.config.limits.maxCost);
  });

  test('100 cases × 100 services × 100 provider staff is QUERY_TOO_COMPLEX (HTTP 400) and runs no SQL beyond authentication', async () => {
    const coordinator = await createCaller(h, { roles: [Role.COORDINATOR], kind: AgencyKind.SOCIAL_PROTECTION, region: '54' });
    const million = `{ cases(first: 100) { nodes { number services(first: 100) { nodes { deliveredOn provider { staff(first: 100) { nodes { fullName } } } } } } } }`;
    const response = await post(h.app, million, {}, coordinator);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.body.errors[0].message).toMatch(/costs \d+; at most 50000/);
    expect(response.body.errors[0].extensions.cost).toBeGreaterThan(1_000_000);
    expect(response.body.data ?? null).toBeNull();
    // One statement: the token's agency and staff member; nothing of the query itself.
    expect(response.headers['x-sql-statements']).toBe('1');
  });
});

describe('pool settings', () => {
  test('defaults, and every pooled connection carries the configured timeouts', async () => {
    expect(loadConfig({}).pool).toEqual({ size: 10, waitMs: 5000, statementTimeoutMs: 15000, idleInTransactionTimeoutMs: 60000 });
    const tuned = await harness({ DATABASE_STATEMENT_TIMEOUT_MS: '1234', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '4321', DATABASE_POOL_SIZE: '3' });
    try {
      const [settings] = await tuned.db.query(
        `SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('application_name') AS app`,
      );
      expect(settings).toEqual({ statement: '1234ms', idle: '4321ms', app: 'krug' });
      expect((tuned.db.driver as unknown as { master: { options: { max: number; connectionTimeoutMillis: number } } }).master.options).toMatchObject({ max: 3, connectionTimeoutMillis: 5000 });
    } finally {
      await tuned.close();
    }
  });

  test('bad values are refused with a message naming the variable', () => {
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: 'abc' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS must be a non-negative integer, got "abc"/);
    expect(() => loadConfig({ DATABASE_POOL_WAIT_MS: '-1' })).toThrow(/DATABASE_POOL_WAIT_MS must be a non-negative integer/);
    expect(() => loadConfig({ DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1.5' })).toThrow(/DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE must be a positive integer, got "0"/);
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_POOL_WAIT_MS: '250' }).pool).toMatchObject({ statementTimeoutMs: 0, waitMs: 250 });
  });

  test('migrations lift the statement timeout on their connection and give it back with the timeout restored', async () => {
    const single = await harness({ DATABASE_POOL_SIZE: '1', DATABASE_STATEMENT_TIMEOUT_MS: '700' });
    try {
      // The harness migrated on this pool's only connection; that connection must be back at 700 ms.
      const [row] = await single.db.query(`SELECT current_setting('statement_timeout') AS value`);
      expect(row.value).toBe('700ms');
    } finally {
      await single.close();
    }
  });
});

describe('statement timeout', () => {
  const CHANGE_STATUS = `mutation Move($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) { case { status version } } }`;

  test('a write stuck behind a lock is stopped after the timeout: QUERY_TIMEOUT, HTTP 503, no SQL in the answer, nothing changed', async () => {
    const slow = await harness({ DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    const locker = new Client({ connectionString: await testDatabaseUrl(), application_name: 'runaway-test-locker' });
    try {
      const manager = await createCaller(slow, { roles: [Role.CASE_MANAGER], kind: AgencyKind.SOCIAL_PROTECTION });
      const family = await createFamily(slow.db, { registeredBy: manager.agency.id });
      const c = await createCase(slow.db, { family, status: CaseStatus.ACTIVE, leadAgencyId: manager.agency.id, caseManagerId: manager.staff.id });
      const state = async () => {
        const [row] = await slow.db.query(
          `SELECT c.version, c.status, (SELECT count(*)::int FROM case_status_change s WHERE s.case_id = c.id) AS history FROM "case" c WHERE c.id = $1`,
          [c.id],
        );
        return row;
      };
      const before = await state();
      expect(before).toEqual({ version: 1, status: 'ACTIVE', history: 1 });

      // Another session holds the case row; the mutation must wait for it, and would wait for ever without the timeout.
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM "case" WHERE id = $1 FOR UPDATE', [c.id]);
      const input = { input: { case: c.globalId, status: 'MONITORING', expectedVersion: 1, comment: 'stuck' } };
      const started = Date.now();
      const stopped = await post(slow.app, CHANGE_STATUS, input, manager);
      const elapsed = Date.now() - started;

      expect(stopped.status).toBe(503);
      expect(stopped.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['QUERY_TIMEOUT']);
      expect(stopped.body.errors[0].message).toMatch(/took too long: the database stopped it after 300 ms\. Ask for less/);
      expect(stopped.body.data?.changeCaseStatus ?? null).toBeNull();
      expect(stopped.headers['retry-after']).toBeUndefined();
      expectNothingLeaks(stopped.body);
      // A generous bound: the lock is never released while the request runs, so only the timeout can end it.
      expect(elapsed).toBeLessThan(5000);
      expect(await state()).toEqual(before);

      // The lock gone, the same write goes through: the rolled-back attempt left nothing behind.
      await locker.query('ROLLBACK');
      const done = await post(slow.app, CHANGE_STATUS, input, manager);
      expect(done.status).toBe(200);
      expect(done.body.errors).toBeUndefined();
      expect(done.body.data.changeCaseStatus.case).toEqual({ status: 'MONITORING', version: 2 });
      expect(await state()).toEqual({ version: 2, status: 'MONITORING', history: 2 });
    } finally {
      await locker.end().catch(() => undefined);
      await slow.close();
    }
  });
});

describe('pool exhaustion', () => {
  test('no free connection within the wait: SERVICE_UNAVAILABLE, HTTP 503, Retry-After; once released, the same request succeeds', async () => {
    const small = await harness({ DATABASE_POOL_SIZE: '1', DATABASE_POOL_WAIT_MS: '200' });
    try {
      const caller = await createCaller(small, { roles: [Role.COORDINATOR] });
      const query = '{ regions { code } }';
      // Holds the pool's only connection, as a long request would.
      const runner = small.db.createQueryRunner();
      await runner.connect();
      let busy: request.Response;
      const started = Date.now();
      try {
        busy = await post(small.app, query, {}, caller);
      } finally {
        await runner.release();
      }
      const elapsed = Date.now() - started;
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('1');
      expect(busy.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(busy.body.errors[0].message).toBe('The registry is busy: no database connection became free within 200 ms. Retry later.');
      expect(busy.body.data ?? null).toBeNull();
      expectNothingLeaks(busy.body);
      expect(elapsed).toBeLessThan(5000);

      const recovered = await post(small.app, query, {}, caller);
      expect(recovered.status).toBe(200);
      expect(recovered.body.errors).toBeUndefined();
      expect(recovered.body.data.regions.length).toBeGreaterThanOrEqual(5);
      expect(recovered.headers['retry-after']).toBeUndefined();
    } finally {
      await small.close();
    }
  });

  test('met while executing (after the caller was authenticated), it is masked the same way and turns the response into a 503', () => {
    const poolError = new Error('timeout exceeded when trying to connect');
    const located = new GraphQLError(poolError.message, { path: ['regions'], originalError: poolError });
    const formatted = formatError({ message: located.message, path: ['regions'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, located, { waitMs: 200 });
    expect(formatted).toEqual({
      message: 'The registry is busy: no database connection became free within 200 ms. Retry later.',
      path: ['regions'],
      locations: undefined,
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    const head = unavailableHead([formatted]);
    expect(head?.status).toBe(503);
    expect([...(head?.headers ?? [])]).toEqual([['retry-after', '1']]);
    expect(unavailableHead([{ message: 'x', extensions: { code: 'NOT_FOUND' } }])).toBeNull();
  });
});
