import type { DataSource, EntityManager } from 'typeorm';
import type { Sql } from './sql';

/** Runs a built SQL fragment through TypeORM (so that it is counted and logged) and returns the rows. */
export async function query<T = Record<string, unknown>>(db: DataSource | EntityManager, statement: Sql): Promise<T[]> {
  const { text, values } = statement.build();
  return (await db.query(text, values)) as T[];
}

export async function queryOne<T = Record<string, unknown>>(db: DataSource | EntityManager, statement: Sql): Promise<T | null> {
  const rows = await query<T>(db, statement);
  return rows[0] ?? null;
}
