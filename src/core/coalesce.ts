import { AsyncResource } from 'node:async_hooks';

/**
 * Runs heavy work (an aggregate over a region's records) at most `limit` at a time and lets identical work that is
 * still waiting be done once for everyone who asked for it.
 *
 * Work joins only an execution that has NOT started yet, so every caller's answer comes from a database snapshot taken
 * after the caller arrived: sharing never serves an older answer than running alone would. Identical work never runs
 * twice at once: while one execution of a key runs, the callers of that key who arrive wait for the next one, which
 * starts when it ends and serves them all — the same question asked by many callers costs one execution at a time,
 * and a free slot goes to different work. Waiting work starts in arrival order (skipping a key that is running); when
 * `maxWaiting` distinct pieces of work already wait, a new one is refused (`busy`), so that a flood of different heavy
 * questions cannot pile up without end.
 */
export class CoalescingGate<T> {
  /** The keys of the executions under way: one each, so their number is the slots taken. */
  private readonly runningKeys = new Set<string>();
  private readonly waiting = new Map<string, Waiting<T>>();
  /** Executions started and callers served, for tests and the operator's view. */
  readonly stats = { executions: 0, callers: 0, shared: 0 };

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
    private readonly busy: () => Error,
  ) {
    if (limit < 1) throw new Error('CoalescingGate: limit must be at least 1');
  }

  /** Runs `work` under the gate; `key` must identify everything the result depends on. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    this.stats.callers += 1;
    const queued = this.waiting.get(key);
    if (queued) {
      this.stats.shared += 1;
      return queued.promise;
    }
    if (this.runningKeys.size < this.limit && !this.runningKeys.has(key)) return this.start(key, work);
    if (this.waiting.size >= this.maxWaiting) return Promise.reject(this.busy());
    let settle!: { resolve: (value: T) => void; reject: (error: unknown) => void };
    const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    // Waiting work runs later, from whichever execution frees the slot: bound to this caller's async context, its
    // statements are logged and counted as this request's.
    this.waiting.set(key, { work: AsyncResource.bind(work), promise, ...settle });
    return promise;
  }

  private start(key: string, work: () => Promise<T>): Promise<T> {
    this.runningKeys.add(key);
    this.stats.executions += 1;
    let result: Promise<T>;
    try {
      result = work();
    } catch (error) {
      result = Promise.reject(error);
    }
    const done = () => {
      this.runningKeys.delete(key);
      this.next();
    };
    result.then(done, done);
    return result;
  }

  private next(): void {
    for (const [key, queued] of this.waiting) {
      if (this.runningKeys.size >= this.limit) return;
      if (this.runningKeys.has(key)) continue;
      this.waiting.delete(key);
      this.start(key, queued.work).then(queued.resolve, queued.reject);
    }
  }
}

interface Waiting<T> {
  work: () => Promise<T>;
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}
