import DataLoader from 'dataloader';
import type { Context } from '../context';
import { inLoaderRound } from './db';

const cacheKeyOf = (k: unknown): string => (typeof k === 'object' ? JSON.stringify(k) : String(k));

/**
 * A per-request DataLoader that also remembers what it has settled, so that a value already loaded can be handed to
 * graphql-js synchronously (`peek`, `get`): a field that returns a plain value costs graphql-js no promise, and an object
 * whose fields are all plain values is completed without one either.
 */
export class RequestLoader<K, V> extends DataLoader<K, V, string> {
  private readonly settled = new Map<string, V>();

  constructor(batch: (keys: readonly K[]) => Promise<V[]>) {
    super(
      async (keys) => {
        const values = await batch(keys);
        for (let i = 0; i < keys.length; i++) this.settled.set(cacheKeyOf(keys[i]), values[i]);
        return values;
      },
      { cacheKeyFn: cacheKeyOf, maxBatchSize: 1000 },
    );
  }

  /** The value for a key if it has been loaded in this request, else undefined. */
  peek(key: K): V | undefined {
    return this.settled.get(cacheKeyOf(key));
  }

  /** Whether the value for a key has been loaded in this request. */
  has(key: K): boolean {
    return this.settled.has(cacheKeyOf(key));
  }

  /** The value for a key: at once when loaded, else a promise of it (batched with the other loads of this tick). */
  get(key: K): V | Promise<V> {
    const k = cacheKeyOf(key);
    return this.settled.has(k) ? (this.settled.get(k) as V) : this.load(key);
  }

  /**
   * Hands the loader a value loaded by another statement (an item of a list), unless it already holds one: a later
   * `load`/`get` of that key costs no statement. Only for values the caller may see through this loader too.
   */
  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    const k = cacheKeyOf(key);
    if (this.settled.has(k)) return this;
    if (!(value instanceof Error) && typeof (value as PromiseLike<V> | null)?.then !== 'function') this.settled.set(k, value as V);
    return super.prime(key, value);
  }

  /** `prime` for every record of a list another loader read, each under its key. */
  primeEach<T extends V & object>(values: Iterable<T>, keyOf: (value: T) => K): this {
    for (const value of values) this.prime(keyOf(value), value);
    return this;
  }

  override clearAll(): this {
    this.settled.clear();
    return super.clearAll();
  }

  override clear(key: K): this {
    this.settled.delete(cacheKeyOf(key));
    return super.clear(key);
  }
}

/**
 * A batch of at most this many keys is started in a loader round (`inLoaderRound`, src/core/db.ts): its statement
 * travels with the other small reads of the round in one message. A larger batch runs on its own connection: its cost
 * is in its rows, not its round trip, and the statements of one message run one after the other in one backend, where
 * separate statements of a round run side by side on the pool's connections (measured on W1: sending the 50-key
 * batches of a page together cost 8 % of throughput; W2's small ones gained 14–25 %).
 */
const SMALL_BATCH = 16;

/** A per-request loader, created on first use in a request and dropped with it. */
export type LoaderAccessor<K, V> = (ctx: Context) => RequestLoader<K, V>;

/**
 * Declares a loader once, next to the module that owns the relation; every request gets its own instance.
 * The batch function must return one value per key, in key order.
 */
export function defineLoader<K, V>(name: string, batch: (ctx: Context, keys: readonly K[]) => Promise<V[]>): LoaderAccessor<K, V> {
  const key = Symbol(name);
  return (ctx) => {
    let loader = ctx.loaders.get(key) as RequestLoader<K, V> | undefined;
    if (!loader) {
      loader = new RequestLoader<K, V>((keys) => (keys.length <= SMALL_BATCH ? inLoaderRound(() => batch(ctx, keys)) : batch(ctx, keys)));
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
  ctx.wrote = true;
  for (const cache of ctx.loaders.values()) (cache as { clearAll(): unknown }).clearAll();
}

/** A value a resolver hands over at once when it is loaded, or as a promise when it has to wait. */
export type Resolved<T> = T | Promise<T>;

/** Whether a resolver's value is a promise (anything with a `then`), rather than the value itself. */
export function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | null)?.then === 'function';
}

/** Applies `fn` to a resolved value at once, or when its promise settles: keeps a loaded value synchronous. */
export function andThen<T, R>(value: Resolved<T>, fn: (value: T) => R): Resolved<R> {
  return isPromise(value) ? (value as Promise<T>).then(fn) : fn(value as T);
}
