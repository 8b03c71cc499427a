import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { types } from 'pg';
import type { PoolSettings } from '../config';
import { CountingSqlLogger } from './sql-logger';
import { PreparingClient } from './preparing-client';
import { parseTimestamptz } from './timestamps';

// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' instead of a Date at local midnight.
types.setTypeParser(1082, (value: string) => value);
// A TIMESTAMPTZ is read by position (src/db/timestamps.ts), not by postgres-date's regular expressions.
types.setTypeParser(1184, parseTimestamptz);

const root = path.resolve(__dirname, '..', '..');
const extension = __filename.endsWith('.ts') ? 'ts' : 'js';

/**
 * pg-pool and pg client options. With pool settings (the server), every pooled connection starts with the session's
 * timeouts and a request waits a bounded time for a connection. Without them (migrations, seed scripts, the TypeORM
 * CLI) nothing is cut off: their statements may legitimately run for minutes.
 */
function poolOptions(pool: PoolSettings | undefined): Record<string, unknown> {
  if (!pool) return { max: 10, application_name: 'krug' };
  return {
    max: pool.size,
    application_name: 'krug',
    // Parameterised statements are prepared once per connection (see PreparingClient) and planned for each call's
    // values: a generic plan, which PostgreSQL may otherwise switch to after five calls, is blind to how selective a
    // value is (a coordinator's region against a case manager's cases, a month against five years). Measured on the
    // regional data: metrics over distinct periods ran at 13 answers/s with generic plans, 22 with custom ones, and
    // W1/W2 lost nothing (docs/performance.md).
    Client: PreparingClient,
    options: '-c plan_cache_mode=force_custom_plan',
    // pg-pool: how long connect() waits for a free (or new) connection; 0 waits for ever.
    connectionTimeoutMillis: pool.waitMs,
    // Sent in the startup packet, so they hold for the whole session; 0 is not sent and leaves the server's setting.
    statement_timeout: pool.statementTimeoutMs,
    idle_in_transaction_session_timeout: pool.idleInTransactionTimeoutMs,
  };
}

/** TypeORM options for a database URL: entities and migrations found by file name, never synchronize. */
export function dataSourceOptions(url: string, pool?: PoolSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [path.join(root, 'src', 'modules', '**', `*.entity.${extension}`), path.join(root, 'src', 'core', '**', `*.entity.${extension}`)],
    migrations: [path.join(root, 'migrations', `*.${extension}`)],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: true,
    logger: new CountingSqlLogger(),
    maxQueryExecutionTime: 1000,
    extra: poolOptions(pool),
  };
}

/** A DataSource for a URL; pass the configured pool settings for the server's pool (see `poolOptions`). */
export function createDataSource(url: string, pool?: PoolSettings): DataSource {
  return new DataSource(dataSourceOptions(url, pool));
}
