import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Context } from '../context';
import { requireViewer } from '../context';
import { query, queryOne } from './db';
import { badField, conflict, notFound } from './graphql/errors';
import { clearLoaders } from './loaders';
import { raw, sql, type Sql } from './sql';

/**
 * What a mutation's `work` hands back: the local id of its result, or the id with the row it wrote (see `runMutation`),
 * and optionally `keep`: hands the request's fresh loaders, after the commit, what the transaction read that its write
 * cannot have changed — the caller's relations to the case, when the write touches no grant, manager or region — so that
 * the payload's guards decide from them instead of reading them again. The payload is then judged by the standing the
 * write itself was allowed under.
 */
export type MutationResult<W> = string | { id: string; written: W; keep?: () => void };

/** Thrown inside a transaction when a concurrent call with the same idempotency key committed first. */
class IdempotentReplay extends Error {
  constructor(readonly resultId: string) {
    super('idempotent replay');
  }
}

/** The input as canonical JSON: object keys sorted, dates as ISO strings — the same input hashes alike whatever its field order. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = canonical((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

export function hashInput(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(input))).digest('hex');
}

/**
 * Runs a mutation as one transaction. With an idempotency key, a retry (even a concurrent one) returns the
 * first call's result and writes nothing twice; the same key with another input is a CONFLICT. The audit
 * entries of the writes are inserted in the same transaction. Loaders are cleared afterwards, so the payload
 * reads what was written.
 *
 * `work` returns the local id of the entity the payload carries, or that id with the row as the transaction wrote
 * it (`{ id, written }`, from RETURNING). `load` builds the payload for the caller: from the written row when it is
 * given (the call that wrote it, after its commit: no second read of the same row), else by reading the id back
 * (an idempotent replay, or a `work` that returns only the id). Either way the payload carries the same object.
 */
export async function runMutation<T, W = never>(
  ctx: Context,
  options: { operation: string; idempotencyKey?: string | null; input: unknown; resultType: string; load: (id: string, written?: W) => Promise<T | null> },
  work: (tx: EntityManager) => Promise<MutationResult<W>>,
): Promise<T> {
  const viewer = requireViewer(ctx);
  const key = options.idempotencyKey ?? null;
  if (key !== null && (key.length < 8 || key.length > 100)) throw badField('input.idempotencyKey', 'must be 8 to 100 characters long');
  const inputHash = hashInput(options.input);

  const replay = async (row: { operation: string; input_hash: string; result_id: string }): Promise<T> => {
    if (row.operation !== options.operation || row.input_hash !== inputHash) {
      throw conflict('This idempotency key was already used for a different request.');
    }
    clearLoaders(ctx);
    const result = await options.load(String(row.result_id));
    if (!result) throw notFound(options.resultType);
    return result;
  };

  if (key !== null) {
    const existing = await queryOne<{ operation: string; input_hash: string; result_id: string }>(
      ctx.db,
      sql`SELECT operation, input_hash, result_id FROM idempotency_key WHERE subject = ${viewer.subject} AND key = ${key}`,
    );
    if (existing) return replay(existing);
  }

  let resultId: string;
  let written: W | undefined;
  let keep: (() => void) | undefined;
  try {
    resultId = await ctx.db.transaction(async (tx) => {
      const done = await work(tx);
      const id = typeof done === 'string' ? done : done.id;
      if (key !== null) {
        const inserted = await query(
          tx,
          sql`INSERT INTO idempotency_key (subject, key, operation, input_hash, result_type, result_id)
              VALUES (${viewer.subject}, ${key}, ${options.operation}, ${inputHash}, ${options.resultType}, ${id}::bigint)
              ON CONFLICT (subject, key) DO NOTHING RETURNING key`,
        );
        if (inserted.length === 0) throw new IdempotentReplay(id);
      }
      await ctx.audit.flush(tx, 'WRITE');
      if (typeof done !== 'string') ({ written, keep } = done);
      return id;
    });
  } catch (error) {
    if (error instanceof IdempotentReplay && key !== null) {
      const first = await queryOne<{ operation: string; input_hash: string; result_id: string }>(
        ctx.db,
        sql`SELECT operation, input_hash, result_id FROM idempotency_key WHERE subject = ${viewer.subject} AND key = ${key}`,
      );
      if (first) return replay(first);
    }
    throw error;
  } finally {
    clearLoaders(ctx);
  }
  keep?.();
  const result = await options.load(resultId, written);
  if (!result) throw notFound(options.resultType);
  return result;
}

/**
 * Optimistic concurrency: bumps the version of a row only if it still has the version the caller read.
 * A concurrent writer that committed first makes this a CONFLICT, never a lost update.
 */
export async function bumpVersion(tx: EntityManager, table: string, id: string, expectedVersion: number | null | undefined, what: string): Promise<number> {
  return (await updateVersioned<{ version: number }>(tx, table, id, expectedVersion, what)).version;
}

/**
 * `bumpVersion` and the change in one statement: the UPDATE that bumps the version (only if the row still has the
 * version the caller read) also applies `set` (assignments, evaluated against the row as it was) and answers
 * `returning` (expressions over the new row, alias `alias`; the new version by default). A stale version is a
 * CONFLICT and a missing row NOT_FOUND, exactly as with `bumpVersion`; nothing is changed then.
 */
export async function updateVersioned<R = { version: number }>(
  tx: EntityManager,
  table: string,
  id: string,
  expectedVersion: number | null | undefined,
  what: string,
  change: { set?: Sql; returning?: Sql; alias?: string } = {},
): Promise<R> {
  if (expectedVersion === null || expectedVersion === undefined) throw badField('input.expectedVersion', 'is required');
  // Tables whose entity has an update-date column get it touched too; the others only carry a version.
  const touched = tx.connection.entityMetadatas.find((m) => m.tableName === table)?.updateDateColumn ? raw(', updated_at = now()') : raw('');
  const alias = change.alias ? raw(` ${change.alias}`) : raw('');
  const set = change.set ? sql`, ${change.set}` : raw('');
  const rows = await query<R>(
    tx,
    sql`UPDATE ${raw(`"${table}"`)}${alias} SET version = version + 1${touched}${set} WHERE id = ${id}::bigint AND version = ${expectedVersion} RETURNING ${change.returning ?? raw('version')}`,
  );
  if (rows.length === 0) {
    const current = await queryOne<{ version: number }>(tx, sql`SELECT version FROM ${raw(`"${table}"`)} WHERE id = ${id}::bigint`);
    if (!current) throw notFound(what);
    throw conflict(`${what} was changed by someone else: you sent version ${expectedVersion}, it is now ${current.version}. Reload and try again.`);
  }
  return rows[0];
}
