import DataLoader from 'dataloader';
import type { Context } from '../context';

/** A per-request DataLoader, created on first use in a request and dropped with it. */
export type LoaderAccessor<K, V> = (ctx: Context) => DataLoader<K, V, string>;

/**
 * Declares a loader once, next to the module that owns the relation; every request gets its own instance.
 * The batch function must return one value per key, in key order.
 */
export function defineLoader<K, V>(name: string, batch: (ctx: Context, keys: readonly K[]) => Promise<V[]>): LoaderAccessor<K, V> {
  const key = Symbol(name);
  return (ctx) => {
    let loader = ctx.loaders.get(key) as DataLoader<K, V, string> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V, string>((keys) => batch(ctx, keys), { cacheKeyFn: (k) => (typeof k === 'object' ? JSON.stringify(k) : String(k)), maxBatchSize: 1000 });
      ctx.loaders.set(key, loader);
    }
    return loader;
  };
}

/** Orders rows by the keys asked for: one row (or null) per key. */
export function byKey<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): Array<R | null> {
  const map = new Map<string, R>();
  for (const row of rows) map.set(String(keyOf(row)), row);
  return keys.map((k) => map.get(String(k)) ?? null);
}

/** Groups rows by the keys asked for: a list (possibly empty) per key. */
export function groupByKey<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const map = new Map<string, R[]>();
  for (const row of rows) {
    const k = String(keyOf(row));
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(row);
  }
  return keys.map((k) => map.get(String(k)) ?? []);
}

/** Forgets everything loaded in this request: called after every write. */
export function clearLoaders(ctx: Context): void {
  for (const loader of ctx.loaders.values()) (loader as DataLoader<unknown, unknown>).clearAll();
}
