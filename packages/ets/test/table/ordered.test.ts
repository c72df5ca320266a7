import test from 'ava';
import { compareKeys, Ets, type Key, type OrderedTable } from '../../src/index.js';
import { hosts, inActor } from '../support/hosts.js';

async function withOrdered(): Promise<{ t: OrderedTable<Key, number>; done: () => Promise<void> }> {
  const { system, refs } = await hosts(1);
  const t = await inActor(refs[0]!, (self) => Ets.create<Key, number>(self, { type: 'ordered_set', access: 'public' }));
  return { t, done: () => system.shutdown() };
}

test('compareKeys: numbers < strings < arrays; arrays element-wise, prefix first', (t) => {
  const keys: Key[] = [['a'], 'b', -Infinity, ['a', 1], 10, 'a', [1], Infinity, [], -0.5, ['a', 'b'], [[1]]];
  const sorted = [...keys].sort(compareKeys);
  t.deepEqual(sorted, [-Infinity, -0.5, 10, Infinity, 'a', 'b', [], [1], ['a'], ['a', 1], ['a', 'b'], [[1]]]);
  t.is(compareKeys(0, -0), 0);
  t.is(compareKeys([1, 2], [1, 2]), 0);
});

test('ordered_set: iteration, first/last/next/prev in key order', async (t) => {
  const { t: tab, done } = await withOrdered();
  t.is(tab.first(), undefined);
  t.is(tab.last(), undefined);
  for (const k of [5, 'x', 1, ['t', 2], 3, ['t', 1]] as Key[]) tab.insert(k, 0);
  t.deepEqual(
    [...tab.entries()].map(([k]) => k),
    [1, 3, 5, 'x', ['t', 1], ['t', 2]],
  );
  t.is(tab.first(), 1);
  t.deepEqual(tab.last(), ['t', 2]);
  t.is(tab.next(1), 3);
  t.is(tab.next(2), 3, 'next of a key that is not in the table');
  t.is(tab.prev(3), 1);
  t.is(tab.prev(1), undefined);
  t.deepEqual(tab.next('x'), ['t', 1]);
  t.is(tab.next(['t', 2]), undefined);
  const walked: Key[] = [];
  for (let k = tab.first(); k !== undefined; k = tab.next(k)) walked.push(k);
  t.is(walked.length, 6);
  await done();
});

test('ordered_set: range bounds, exclusivity and limit', async (t) => {
  const { t: tab, done } = await withOrdered();
  for (let i = 0; i < 1000; i++) tab.insert(i, i * 2);
  t.deepEqual(tab.range({ from: 10, to: 13 }), [[10, 20], [11, 22], [12, 24], [13, 26]]);
  t.deepEqual(tab.range({ from: 10, to: 13, fromExclusive: true, toExclusive: true }).map(([k]) => k), [11, 12]);
  t.deepEqual(tab.range({ from: 9.5, limit: 3 }).map(([k]) => k), [10, 11, 12]);
  t.deepEqual(tab.range({ to: 2 }).map(([k]) => k), [0, 1, 2]);
  t.deepEqual(tab.range({ from: 998 }).map(([k]) => k), [998, 999]);
  t.deepEqual(tab.range({ from: 5, to: 4 }), []);
  await done();
});

test('ordered_set: tuple keys sharing a prefix stay together, so a prefix range finds them', async (t) => {
  const { t: tab, done } = await withOrdered();
  for (const k of [['v', 9], ['w', 2], ['x', 0], ['w', -1], ['w', 10], 'w', ['w'], ['w', 'a']] as Key[]) tab.insert(k, 0);
  t.deepEqual(
    tab.range({ from: ['w', -Infinity], to: ['w', Infinity] }).map(([k]) => k),
    [['w', -1], ['w', 2], ['w', 10]],
  );
  await done();
});

test('ordered_set: a traversal sees keys inserted ahead of it, not behind it, and skips deleted ones', async (t) => {
  const { t: tab, done } = await withOrdered();
  for (let i = 0; i < 200; i += 2) tab.insert(i, i);
  const seen: number[] = [];
  for (const [k] of tab.entries()) {
    seen.push(k as number);
    if (k === 10) {
      tab.insert(11, 11); // ahead: seen
      tab.insert(1, 1); // behind: not seen
      tab.delete(12); // ahead, deleted: not seen
      for (let j = 1000; j < 1200; j++) tab.insert(j, j); // splits leaves under the walk
    }
    if (k === 150) for (let j = 152; j < 190; j += 2) tab.delete(j); // merges leaves under the walk
  }
  const expected: number[] = [];
  for (let i = 0; i <= 150; i += 2) if (i !== 12) expected.push(i);
  expected.splice(expected.indexOf(10) + 1, 0, 11);
  for (let i = 190; i < 200; i += 2) expected.push(i);
  for (let j = 1000; j < 1200; j++) expected.push(j);
  t.deepEqual(seen, expected);
  await done();
});

test('ordered_set: 20k random inserts and deletes keep the order and the size (tree splits and merges)', async (t) => {
  const { t: tab, done } = await withOrdered();
  const model = new Map<number, number>();
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 5000;
  for (let i = 0; i < 20000; i++) {
    const k = rand();
    if (i % 3 === 2) {
      t.is(tab.delete(k), model.delete(k));
    } else {
      tab.insert(k, i);
      model.set(k, i);
    }
  }
  // Delete most keys to force merges down to a small tree.
  for (const k of [...model.keys()].slice(0, model.size - 10)) {
    tab.delete(k);
    model.delete(k);
  }
  const keys = [...model.keys()].sort((a, b) => a - b);
  t.deepEqual(tab.range().map(([k]) => k), keys);
  t.is(tab.size(), model.size);
  for (const k of keys) t.is(tab.lookup(k), model.get(k));
  await done();
});
