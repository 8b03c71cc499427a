import type { DataSource, EntityManager } from 'typeorm';
import type { Sql } from './sql';

/** Runs a built SQL fragment through TypeORM (so that it is counted and logged) and returns the rows. */
export async function query<T = Record<string, unknown>>(db: DataSource | EntityManager, statement: Sql): Promise<T[]> {
  const { text, values } = statement.build();
  const result: unknown = await db.query(text, values);
  // TypeORM answers an UPDATE or DELETE with [rows, affected count]; callers get the rows, as for any other statement.
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

export async function queryOne<T = Record<string, unknown>>(db: DataSource | EntityManager, statement: Sql): Promise<T | null> {
  const rows = await query<T>(db, statement);
  return rows[0] ?? null;
}
