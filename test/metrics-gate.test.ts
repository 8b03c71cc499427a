import { Client } from 'pg';
import { harness, gql, createCaller, type Harness, type Caller } from './support/harness';
import { testDatabaseUrl } from './support/database';
import { Role } from '../src/core/auth/roles';
import { metricsGateStats } from '../src/modules/metrics/metrics.service';

/**
 * Outcome metrics statements run at most METRICS_CONCURRENCY at a time; identical ones that wait share one execution
 * started after all of them arrived. Here the limit is 1 and a table lock held by another session keeps the first
 * statement running for as long as the test needs.
 */

let h: Harness;
let admin: Caller;
beforeAll(async () => {
  h = await harness({ METRICS_CONCURRENCY: '1', METRICS_MAX_WAITING: '2' });
  admin = await createCaller(h, { roles: [Role.ADMIN] });
});
afterAll(() => h.close());

const METRICS = `query($filter: OutcomeMetricsFilter!) { outcomeMetrics(filter: $filter) { total { planStepsDone { value } servicesDelivered { value } } } }`;
const ask = (region: string) => gql(h, METRICS, { filter: { regions: [region], from: '2025-01-01', to: '2025-12-31' } }, admin);

/** Waits until PostgreSQL shows a statement of the server waiting for a lock. */
async function blockedStatements(locker: Client): Promise<number> {
  const found = await locker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`);
  return found.rows[0].n;
}

test('identical questions waiting behind a running one are answered by one statement; different ones wait their turn; too many are refused', async () => {
  const locker = new Client({ connectionString: await testDatabaseUrl() });
  await locker.connect();
  try {
    const alone = await ask('54');
    expect(alone.errors).toBeUndefined();
    const before = { ...metricsGateStats(h.config) };

    await locker.query('BEGIN');
    await locker.query('LOCK TABLE plan_step IN ACCESS EXCLUSIVE MODE');
    const first = ask('54');
    for (let i = 0; i < 100 && (await blockedStatements(locker)) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await blockedStatements(locker)).toBe(1);
    const same = [ask('54'), ask('54'), ask('54')];
    const other = ask('51');
    // All four at the gate (they wait in Node, holding no connection) before a third region is asked for.
    const atGate = before.callers + 5;
    for (let i = 0; i < 100 && metricsGateStats(h.config).callers < atGate; i++) await new Promise((r) => setTimeout(r, 20));
    expect(metricsGateStats(h.config).callers).toBe(atGate);
    const third = ask('77');
    // Two distinct questions wait already (54 and 51): a third distinct one is refused at once, without SQL.
    const refused = await third;
    expect(refused.errors?.[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(refused.status).toBe(503);
    await locker.query('COMMIT');

    const answers = await Promise.all([first, ...same, other]);
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    for (const answer of [await first, ...(await Promise.all(same))]) expect(answer.data).toEqual(alone.data);
    const after = metricsGateStats(h.config);
    // The first, one for the three identical questions, one for the other region.
    expect(after.executions - before.executions).toBe(3);
    expect(after.shared - before.shared).toBe(2);
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
});
