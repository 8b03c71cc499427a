import type { DataSource } from 'typeorm';
import type { Context } from '../context';

/** The tables whose records are kept across requests. */
export type ReferenceTable = 'agency' | 'staff_member' | 'service_type';

/**
 * Reference records (agencies, staff members, service types) kept by the process across requests. A page of cases names
 * each case's lead agency, case manager, team agencies, providers and specialists: two statements of fourteen read the
 * same few hundred agencies and staff members for every page (measured on W1: +10 % throughput without them).
 *
 * Exact, not "eventually": every transaction that writes one of the tables — whoever runs it: a mutation, another server
 * process, a migration, psql — increments `reference_version.version` when it commits (migration ReferenceVersion), and
 * every request reads that version with its caller, in the statement that resolves the token (`resolveCaller`). A request
 * that sees a newer version than the cache's empties the cache before it reads anything, so a request sees every change
 * committed before it arrived, as every other read of the registry does. A read that was under way while the cache was
 * emptied does not store what it read (`generation`). A request that has written reads around the cache for the rest of
 * the request (`Context.wrote`), so a mutation's payload shows its own write.
 *
 * Only reference data is kept: no record of a case, family or person, and no guard decision (the guards decide on every
 * read, as before). Values are frozen: they are shared by every request.
 */
export class ReferenceCache {
  private readonly tables = new Map<string, Map<string, object>>();

  /** At most `capacity` records per table: the oldest kept is dropped for a new one (a national registry has 200 000 staff). */
  constructor(readonly capacity = 5000) {}

  /** The newest `reference_version` a request has seen; the cache holds nothing older. */
  private version = -1n;
  /** Incremented whenever the cache is emptied: a read that started under another generation keeps nothing. */
  generation = 0;

  records(table: ReferenceTable): Map<string, object> {
    let records = this.tables.get(table);
    if (!records) this.tables.set(table, (records = new Map()));
    return records;
  }

  /** A request saw `reference_version` = `version`: a newer one than the cache's empties it. */
  observe(version: string): void {
    const seen = BigInt(version);
    if (seen <= this.version) return;
    this.version = seen;
    this.clear();
  }

  /** Forgets everything kept. */
  clear(): void {
    this.generation++;
    this.tables.clear();
  }
}

const caches = new WeakMap<object, ReferenceCache>();

/** Keeps reference records for a DataSource (the server's, from start to stop), at most `capacity` per table. */
export function keepReferenceRecords(db: DataSource, capacity?: number): ReferenceCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new ReferenceCache(capacity)));
  return cache;
}

/** Stops keeping reference records for a DataSource. */
export function dropReferenceRecords(db: DataSource): void {
  caches.delete(db);
}

/** The reference cache of a DataSource, if it keeps one; none for a transaction's EntityManager. */
export function referenceCacheOf(db: DataSource | object): ReferenceCache | undefined {
  return caches.get(db);
}

/**
 * The cache a request's loaders read through: none when the request saw no `reference_version` (no caller) or has
 * written (its payload shows its own write).
 */
export function requestReferenceCache(ctx: Pick<Context, 'db' | 'wrote' | 'referenceVersion'>): ReferenceCache | undefined {
  return ctx.wrote || ctx.referenceVersion === null ? undefined : caches.get(ctx.db);
}

/**
 * Reads reference records by id through the process's cache: the ids it holds cost nothing, the others are read by
 * `read` (one value per id, in order; null for none) and kept unless the cache was emptied meanwhile. What the cache
 * held is taken before the read: another request may empty it or make room in it while this one waits. Values are
 * frozen: they are shared by every request. `cache` undefined reads everything.
 */
export async function throughReferenceCache<V extends object>(
  cache: ReferenceCache | undefined,
  table: ReferenceTable,
  ids: readonly string[],
  read: (ids: readonly string[]) => Promise<Array<V | null>>,
): Promise<Array<V | null>> {
  if (!cache) return read(ids);
  const records = cache.records(table);
  const found = new Map<string, V | null>();
  const missing: string[] = [];
  for (const id of ids) {
    const kept = records.get(id) as V | undefined;
    if (kept) found.set(id, kept);
    else missing.push(id);
  }
  if (missing.length) {
    const generation = cache.generation;
    const values = await read(missing);
    const keep = cache.generation === generation;
    missing.forEach((id, i) => {
      const value = values[i];
      found.set(id, value);
      if (!keep || !value) return;
      if (records.size >= cache.capacity) records.delete(records.keys().next().value as string);
      records.set(id, deepFreeze(value));
    });
  }
  return ids.map((id) => found.get(id) ?? null);
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object' && !Object.isFrozen(inner)) deepFreeze(inner as object);
  return Object.freeze(value);
}
