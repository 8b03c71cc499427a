import { DataSource, type EntityManager } from 'typeorm';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { NotBatchable, type BatchStatement, type PreparingClient } from '../db/preparing-client';
import type { Sql } from './sql';

/**
 * Runs a built SQL fragment and returns the rows. Inside a transaction (an EntityManager) it goes through TypeORM's
 * query runner of that transaction; on the DataSource it goes straight to the pg pool (TypeORM's per-call query runner
 * cost ~40 µs of CPU per statement, a tenth of a W2 answer), logged and counted by the same logger either way.
 */
export async function query<T = Record<string, unknown>>(db: DataSource | EntityManager, statement: Sql): Promise<T[]> {
  const { text, values } = statement.build();
  if (db instanceof DataSource) return poolQuery<T>(db, text, values);
  const result: unknown = await db.query(text, values);
  // TypeORM answers an UPDATE or DELETE with [rows, affected count]; callers get the rows, as for any other statement.
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

export async function queryOne<T = Record<string, unknown>>(db: DataSource | EntityManager, statement: Sql): Promise<T | null> {
  const rows = await query<T>(db, statement);
  return rows[0] ?? null;
}

/** One statement on the DataSource's pool, with TypeORM's logger told what it would be told (count, errors, slow statements). */
async function poolQuery<T>(db: DataSource, text: string, values: unknown[]): Promise<T[]> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  const logger = db.logger;
  logger.logQuery(text, values);
  const started = Date.now();
  let result: QueryResult;
  try {
    result = loaderRounds > 0 ? await batched(pool, text, values) : await pool.query(text, values);
  } catch (error) {
    logger.logQueryError(error as Error, text, values);
    throw error;
  }
  const ms = Date.now() - started;
  const slow = db.options.maxQueryExecutionTime;
  if (slow && ms > slow) logger.logQuerySlow(ms, text, values);
  return result.rows as T[];
}

/**
 * Loader rounds: the reads that DataLoader batch functions start in the same turn of the event loop (a look-ahead
 * round dispatches every relation of a level at once) travel to PostgreSQL together, as one message on one
 * connection (`PreparingClient.queryBatch`), instead of one round trip each. A W2 answer reads some 25 relations in
 * five rounds; each round trip costs the server a socket write and read, a protocol exchange and its promises.
 *
 * `inLoaderRound` marks the statements a batch function starts synchronously (before its first `await`); only those
 * are batched. Every other statement (a root list, a metrics query, a write) runs on its own as before, so a long
 * statement never holds up the relations of another request. A batch that fails is run again statement by statement,
 * so that each caller gets its own answer or error.
 */
let loaderRounds = 0;

export function inLoaderRound<T>(start: () => T): T {
  loaderRounds++;
  try {
    return start();
  } finally {
    loaderRounds--;
  }
}

/** At most this many statements travel in one message; a larger round is split. */
const MAX_BATCH = 24;

interface Waiting extends BatchStatement {
  resolve(result: QueryResult): void;
  reject(error: unknown): void;
}

const waiting = new WeakMap<Pool, Waiting[]>();

function batched(pool: Pool, text: string, values: unknown[]): Promise<QueryResult> {
  let queue = waiting.get(pool);
  if (!queue) {
    const started: Waiting[] = (queue = []);
    waiting.set(pool, started);
    setImmediate(() => {
      waiting.delete(pool);
      for (let i = 0; i < started.length; i += MAX_BATCH) void sendBatch(pool, started.slice(i, i + MAX_BATCH));
    });
  }
  const into = queue;
  return new Promise((resolve, reject) => into.push({ text, values, resolve, reject }));
}

const oneByOne = (pool: Pool, batch: readonly Waiting[]) => {
  for (const w of batch) pool.query(w.text, w.values as unknown[]).then(w.resolve, w.reject);
};

async function sendBatch(pool: Pool, batch: readonly Waiting[]): Promise<void> {
  if (batch.length === 1) return oneByOne(pool, batch);
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    for (const w of batch) w.reject(error);
    return;
  }
  const preparing = client as PoolClient & Partial<Pick<PreparingClient, 'queryBatch'>>;
  if (typeof preparing.queryBatch !== 'function') {
    client.release();
    return oneByOne(pool, batch);
  }
  let results: QueryResult[];
  try {
    results = await preparing.queryBatch(batch);
  } catch (error) {
    // A statement's error (it has an SQLSTATE) leaves the connection usable; anything else but a refusal may not have.
    const usable = error instanceof NotBatchable || Boolean((error as { code?: unknown } | null)?.code);
    client.release(usable ? undefined : (error as Error));
    return oneByOne(pool, batch);
  }
  client.release();
  batch.forEach((w, i) => w.resolve(results[i]));
}
