import type { ExecutionContext, TestFn } from 'ava';
import { KvConflictError, type KvEntry, type KvStore } from '../../src/index.js';

/** Two clients of one fresh bucket (`b` stands for another node); `done` releases them. */
export interface KvPair {
  readonly a: KvStore;
  readonly b: KvStore;
  done(): Promise<void>;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (v: Uint8Array): string => new TextDecoder().decode(v);

async function collectUntil(entries: KvEntry[], n: number, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (entries.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
}

/** The KvStore contract, run by each implementation's test file with its own factory. */
export function kvContract(test: TestFn, label: string, pair: () => Promise<KvPair>): void {
  const withPair = (fn: (t: ExecutionContext, p: KvPair) => Promise<void>) => async (t: ExecutionContext) => {
    const p = await pair();
    try {
      await fn(t, p);
    } finally {
      await p.done();
    }
  };

  test(`${label}: create, conflict on a taken key, create again after delete`, withPair(async (t, { a, b }) => {
    const r1 = await a.create('k', enc('one'));
    const conflict = await t.throwsAsync(b.create('k', enc('two')), { instanceOf: KvConflictError });
    t.is(conflict?.code, 'kv_conflict');
    t.is(conflict?.currentRevision, r1);
    await a.delete('k');
    t.is(await b.get('k'), null);
    const r2 = await b.create('k', enc('three'));
    t.true(r2 > r1);
    const e = await a.get('k');
    t.is(dec(e!.value), 'three');
    t.is(e!.revision, r2);
    t.is(e!.operation, 'PUT');
  }));

  test(`${label}: update is a compare-and-set`, withPair(async (t, { a, b }) => {
    const r1 = await a.create('k', enc('one'));
    const r2 = await b.update('k', enc('two'), r1);
    t.true(r2 > r1);
    const stale = await t.throwsAsync(a.update('k', enc('stale'), r1), { instanceOf: KvConflictError });
    t.is(stale?.currentRevision, r2);
    t.is(dec((await a.get('k'))!.value), 'two');
    await t.throwsAsync(a.update('never', enc('x'), 1), { instanceOf: KvConflictError });
  }));

  test(`${label}: revisions are one sequence per bucket`, withPair(async (t, { a, b }) => {
    const r1 = await a.put('x', enc('1'));
    const r2 = await b.put('y', enc('2'));
    const r3 = await a.put('x', enc('3'));
    t.deepEqual([r2 - r1, r3 - r2], [1, 1]);
  }));

  test(`${label}: delete with previousRevision only at that revision`, withPair(async (t, { a, b }) => {
    const r1 = await a.create('k', enc('one'));
    const r2 = await a.update('k', enc('two'), r1);
    const lost = await t.throwsAsync(b.delete('k', { previousRevision: r1 }), { instanceOf: KvConflictError });
    t.is(lost?.currentRevision, r2);
    t.is(dec((await b.get('k'))!.value), 'two');
    await b.delete('k', { previousRevision: r2 });
    t.is(await a.get('k'), null);
    t.is(await a.get('never-set'), null);
  }));

  test(`${label}: watch delivers current entries, then ready, then changes in order`, withPair(async (t, { a, b }) => {
    await a.put('p', enc('p0'));
    await a.put('q', enc('q0'));
    await a.put('gone', enc('g'));
    await a.delete('gone');
    const seen: string[] = [];
    const entries: KvEntry[] = [];
    const w = await a.watch(
      (e) => {
        entries.push(e);
        seen.push(`${e.operation} ${e.key}=${dec(e.value)}`);
      },
      () => seen.push('ready'),
    );
    await collectUntil(entries, 2);
    const r = await b.put('p', enc('p1'));
    await b.delete('q');
    await b.create('r', enc('r0'));
    await collectUntil(entries, 5);
    w.stop();
    t.deepEqual(seen, ['PUT p=p0', 'PUT q=q0', 'ready', 'PUT p=p1', 'DEL q=', 'PUT r=r0']);
    t.is(entries[2]!.revision, r);
    const revisions = entries.map((e) => e.revision);
    t.deepEqual(revisions, [...revisions].sort((x, y) => x - y));
  }));

  test(`${label}: watch of an empty bucket is ready at once`, withPair(async (t, { a, b }) => {
    const seen: string[] = [];
    const w = await a.watch((e) => seen.push(e.key), () => seen.push('ready'));
    const entries: KvEntry[] = [];
    const w2 = await a.watch((e) => entries.push(e));
    await b.put('k', enc('v'));
    await collectUntil(entries, 1);
    await collectUntil(seen as unknown as KvEntry[], 2);
    w.stop();
    w2.stop();
    t.deepEqual(seen, ['ready', 'k']);
  }));

  test(`${label}: stop() ends delivery`, withPair(async (t, { a, b }) => {
    const entries: KvEntry[] = [];
    const w = await a.watch((e) => entries.push(e));
    await b.put('k', enc('1'));
    await collectUntil(entries, 1);
    w.stop();
    const probe: KvEntry[] = [];
    const w2 = await b.watch((e) => probe.push(e));
    await b.put('k', enc('2'));
    await b.put('k', enc('3'));
    await collectUntil(probe, 3); // the other watch saw 1 (initial), 2, 3
    w2.stop();
    t.deepEqual(probe.map((e) => dec(e.value)), ['1', '2', '3'], 'a watch still running sees its initial entry and every later change');
    t.deepEqual(entries.map((e) => dec(e.value)), ['1']);
  }));
  test(`${label}: a write right after watch() resolves is a change, and the value it replaced was delivered first`, withPair(async (t, { a, b }) => {
    // NATS hands initial entries out lazily: a value replaced before its turn was lost (history 1).
    const runs: string[][] = [];
    for (let i = 0; i < 20; i++) {
      const key = `k${i}`;
      await a.put(key, enc('old'));
      const seen: string[] = [];
      const done: KvEntry[] = [];
      const w = await b.watch(
        (e) => {
          if (e.key !== key) return;
          seen.push(`${e.operation}=${dec(e.value)}`);
          if (dec(e.value) === 'new') done.push(e);
        },
        () => seen.push('ready'),
      );
      await a.put(key, enc('new'));
      await collectUntil(done, 1);
      w.stop();
      runs.push(seen);
    }
    t.deepEqual(runs, Array.from({ length: 20 }, () => ['PUT=old', 'ready', 'PUT=new']));
  }));
}
