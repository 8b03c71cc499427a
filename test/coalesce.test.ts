import { AsyncLocalStorage } from 'node:async_hooks';
import { CoalescingGate } from '../src/core/coalesce';

/** The gate in isolation: work is a controllable promise, so the order of events is exact. */

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const busy = () => new Error('busy');
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('work beyond the limit waits; identical waiting work runs once for every caller, in arrival order', async () => {
  const gate = new CoalescingGate<string>(1, 10, busy);
  const started: string[] = [];
  const runs = new Map<string, ReturnType<typeof deferred<string>>>();
  const work = (key: string) => () => {
    started.push(key);
    const d = deferred<string>();
    runs.set(`${key}#${started.length}`, d);
    return d.promise;
  };
  const a = gate.run('A', work('A'));
  const b1 = gate.run('B', work('B'));
  const c = gate.run('C', work('C'));
  const b2 = gate.run('B', work('B'));
  const b3 = gate.run('B', work('B'));
  expect(started).toEqual(['A']);
  runs.get('A#1')!.resolve('a');
  await tick();
  expect(started).toEqual(['A', 'B']);
  runs.get('B#2')!.resolve('b');
  await tick();
  expect(started).toEqual(['A', 'B', 'C']);
  runs.get('C#3')!.resolve('c');
  expect(await Promise.all([a, b1, b2, b3, c])).toEqual(['a', 'b', 'b', 'b', 'c']);
  expect(gate.stats).toEqual({ executions: 3, callers: 5, shared: 2 });
});

test('identical work never joins an execution that has already started (its snapshot would be older than the caller)', async () => {
  const gate = new CoalescingGate<number>(2, 10, busy);
  let calls = 0;
  const pending: Array<ReturnType<typeof deferred<number>>> = [];
  const work = () => {
    calls += 1;
    const d = deferred<number>();
    pending.push(d);
    return d.promise;
  };
  const first = gate.run('same', work);
  const second = gate.run('same', work);
  const third = gate.run('same', work);
  // The second and third callers arrived after the first execution started: they wait for one of their own.
  expect(calls).toBe(1);
  pending[0].resolve(1);
  expect(await first).toBe(1);
  await tick();
  expect(calls).toBe(2);
  pending[1].resolve(2);
  expect([await second, await third]).toEqual([2, 2]);
  expect(gate.stats).toEqual({ executions: 2, callers: 3, shared: 1 });
});

test('identical work runs one execution at a time; a free slot goes to different work meanwhile', async () => {
  const gate = new CoalescingGate<string>(2, 10, busy);
  const started: string[] = [];
  const runs: Array<ReturnType<typeof deferred<string>>> = [];
  const work = (key: string) => () => {
    started.push(key);
    const d = deferred<string>();
    runs.push(d);
    return d.promise;
  };
  const a1 = gate.run('A', work('A'));
  const a2 = gate.run('A', work('A'));
  const b = gate.run('B', work('B'));
  // A second A waits although a slot is free; B, arriving after it, takes the slot.
  expect(started).toEqual(['A', 'B']);
  runs[1].resolve('b');
  expect(await b).toBe('b');
  await tick();
  expect(started).toEqual(['A', 'B']);
  runs[0].resolve('a1');
  expect(await a1).toBe('a1');
  await tick();
  expect(started).toEqual(['A', 'B', 'A']);
  runs[2].resolve('a2');
  expect(await a2).toBe('a2');
});

test('a failure reaches every caller that shared the execution, and the gate goes on', async () => {
  const gate = new CoalescingGate<string>(1, 10, busy);
  const blocker = deferred<string>();
  const held = gate.run('hold', () => blocker.promise);
  const failing = deferred<string>();
  const x1 = gate.run('X', () => failing.promise);
  const x2 = gate.run('X', () => failing.promise);
  blocker.resolve('held');
  await held;
  failing.reject(new Error('statement timeout'));
  await expect(x1).rejects.toThrow('statement timeout');
  await expect(x2).rejects.toThrow('statement timeout');
  expect(await gate.run('after', async () => 'ok')).toBe('ok');
  // A work function that throws instead of rejecting frees its slot too.
  await expect(gate.run('throws', () => { throw new Error('bad'); })).rejects.toThrow('bad');
  expect(await gate.run('again', async () => 'ok')).toBe('ok');
});

test('when too many distinct pieces of work wait, a new one is refused at once; identical ones still join', async () => {
  const gate = new CoalescingGate<string>(1, 2, busy);
  const blocker = deferred<string>();
  const held = gate.run('hold', () => blocker.promise);
  const w1 = gate.run('one', async () => '1');
  const w2 = gate.run('two', async () => '2');
  await expect(gate.run('three', async () => '3')).rejects.toThrow('busy');
  const w1again = gate.run('one', async () => 'never run');
  blocker.resolve('h');
  expect(await Promise.all([held, w1, w2, w1again])).toEqual(['h', '1', '2', '1']);
});

test('waiting work runs in the async context of the caller that queued it (its statements are logged as that request\'s)', async () => {
  const store = new AsyncLocalStorage<string>();
  const gate = new CoalescingGate<string | undefined>(1, 10, busy);
  const blocker = deferred<string | undefined>();
  const held = store.run('first request', () => gate.run('hold', () => blocker.promise));
  const queued = store.run('second request', () => gate.run('other', async () => store.getStore()));
  store.run('a third, unrelated context', () => blocker.resolve('done'));
  expect(await held).toBe('done');
  expect(await queued).toBe('second request');
});
