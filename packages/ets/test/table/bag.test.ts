import test from 'ava';
import { Ets, type BagTable } from '../../src/index.js';
import { hosts, inActor } from '../support/hosts.js';

async function withBag(type: 'bag' | 'duplicate_bag'): Promise<{ t: BagTable<any, any>; done: () => Promise<void> }> {
  const { system, refs } = await hosts(1);
  const t = await inActor(refs[0]!, (self) => Ets.create<any, any>(self, { type, access: 'public' }));
  return { t, done: () => system.shutdown() };
}

test('bag: many values per key, no equal duplicates; lookup copies', async (t) => {
  const { t: bag, done } = await withBag('bag');
  bag.insert('k', { a: 1 });
  bag.insert('k', { a: 1 });
  bag.insert('k', { a: 2 });
  bag.insert(['x', 1], 'v');
  const vals = bag.lookup('k');
  t.deepEqual(vals, [{ a: 1 }, { a: 2 }]);
  vals.push('mutated');
  t.is(bag.lookup('k').length, 2, 'lookup returns a copy');
  t.deepEqual(bag.lookup(['x', 1]), ['v']);
  t.deepEqual(bag.lookup('none'), []);
  t.is(bag.size(), 3);
  await done();
});

test('duplicate_bag: equal values are kept; deleteObject removes every equal copy', async (t) => {
  const { t: bag, done } = await withBag('duplicate_bag');
  bag.insertMany([['k', 1], ['k', 1], ['k', 2]]);
  t.deepEqual(bag.lookup('k'), [1, 1, 2]);
  t.is(bag.size(), 3);
  t.is(bag.deleteObject('k', 1), 2);
  t.deepEqual(bag.lookup('k'), [2]);
  t.is(bag.deleteObject('k', 2), 1);
  t.false(bag.member('k'), 'the key goes with its last object');
  t.is(bag.size(), 0);
  await done();
});

test('bags: insertNew, take, delete, match, iteration sees each key once with its objects then', async (t) => {
  const { t: bag, done } = await withBag('bag');
  t.true(bag.insertNew('a', 1));
  t.false(bag.insertNew('a', 2), 'insertNew fails when the key has objects');
  bag.insert('a', 3);
  bag.insert('b', 4);
  t.deepEqual(bag.match((_k, v) => (v as number) > 2), [['a', 3], ['b', 4]]);
  t.deepEqual(bag.take('a'), [1, 3]);
  t.deepEqual(bag.take('a'), []);
  t.true(bag.delete('b'));
  t.is(bag.size(), 0);
  bag.insertMany([['x', 1], ['x', 2], ['y', 3]]);
  const seen: unknown[] = [];
  for (const e of bag.entries()) {
    seen.push(e);
    if (e[0] === 'x' && e[1] === 1) bag.insert('x', 9); // x's objects were taken when the walk reached x
  }
  t.deepEqual(seen, [['x', 1], ['x', 2], ['y', 3]]);
  await done();
});
