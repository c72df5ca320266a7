/**
 * Edge cases of keys, counters, ranges and bulk calls (issue 21 §4, issue 11 §3): each is
 * a typed error at the call that says how to fix it, or a documented rule.
 */
import test from 'ava';
import { InvalidOptionError } from '@arbor/core';
import { BadKeyError, compareKeys, CounterError, Ets, isKey, MAX_KEY_ELEMENTS, type OrderedTable, type SetTable } from '../../src/index.js';
import { hosts, inActor } from '../support/hosts.js';
import { cyclicArray, deepArray } from '@arbor/test-support';

async function tables(): Promise<{ set: SetTable<any, any>; ordered: OrderedTable<any, any>; done: () => Promise<void> }> {
  const { system, refs } = await hosts(1);
  const made = await inActor(refs[0]!, (self) => ({
    set: Ets.create<any, any>(self, { type: 'set', access: 'public' }),
    ordered: Ets.create<any, any>(self, { type: 'ordered_set', access: 'public' }),
  }));
  return { ...made, done: () => system.shutdown() };
}

test('compareKeys refuses NaN (NaN is not a key, so it has no place in the order) and every other non-key', (t) => {
  const e = t.throws(() => compareKeys(NaN, 1), { instanceOf: BadKeyError });
  t.is(e?.code, 'bad_key');
  t.regex(e!.message, /^compareKeys: first argument: NaN is not a key/);
  t.throws(() => compareKeys(1, NaN), { instanceOf: BadKeyError, message: /second argument: NaN/ });
  t.throws(() => compareKeys(['a', NaN], ['a', 1]), { instanceOf: BadKeyError, message: /\["a",NaN\]/ });
  t.throws(() => compareKeys({} as never, 1), { instanceOf: BadKeyError });
  t.is(compareKeys(-0, 0), 0, 'keys still compare as documented');
  t.is(compareKeys(['a', 1], ['a']), 1);
});

test('a NaN key is refused by every table operation, so an ordered_set keeps its order', async (t) => {
  const { set, ordered, done } = await tables();
  for (const tb of [set, ordered]) {
    t.throws(() => tb.insert(NaN, 'x'), { instanceOf: BadKeyError });
    t.throws(() => tb.insert([1, NaN], 'x'), { instanceOf: BadKeyError });
    t.throws(() => tb.lookup(NaN), { instanceOf: BadKeyError });
    t.is(tb.size(), 0);
  }
  t.throws(() => ordered.range({ from: NaN }), { instanceOf: BadKeyError });
  await done();
});

test('the message for the key [1, NaN] shows [1,NaN], not JSON\'s [1,null]', async (t) => {
  const { set, done } = await tables();
  const e = t.throws(() => set.insert([1, NaN], 'x'), { instanceOf: BadKeyError });
  t.true(e!.message.includes('[1,NaN] is not a key'), e!.message);
  t.false(e!.message.includes('null'));
  const inf = t.throws(() => set.insert([-0, Infinity, 'a', undefined] as never, 'x'), { instanceOf: BadKeyError });
  t.true(inf!.message.includes('[-0,Infinity,"a",undefined]'), inf!.message);
  await done();
});

test('updateCounter past Number.MAX_SAFE_INTEGER is a CounterError and leaves the counter as it was', async (t) => {
  const { set, done } = await tables();
  const max = Number.MAX_SAFE_INTEGER;
  set.insert('c', max - 1);
  t.is(set.updateCounter('c', 1), max, 'up to MAX_SAFE_INTEGER every step is exact');
  const e = t.throws(() => set.updateCounter('c', 1), { instanceOf: CounterError });
  t.regex(e!.message, /MAX_SAFE_INTEGER/);
  t.regex(e!.message, /threshold/, 'the message says how to wrap the counter instead');
  t.is(set.lookup('c'), max, 'the value is unchanged');
  t.throws(() => set.updateCounter('neg', -1, -max), { instanceOf: CounterError });
  t.false(set.member('neg'), 'nothing was written');
  t.throws(() => set.updateCounter('big', 2 ** 60, 0), { instanceOf: CounterError });
  t.throws(() => set.updateCounter('d', 1, 2 ** 53), { instanceOf: CounterError, message: /default/ });
  t.is(set.updateCounter('c', { incr: 1, threshold: max, setValue: 0 }), 0, 'a threshold wraps it before it passes the limit');
  t.throws(() => set.updateCounter('c', { incr: 1, threshold: 5, setValue: Infinity }), { instanceOf: CounterError });
  t.throws(() => set.updateCounter('c', null as never), { instanceOf: CounterError });
  await done();
});

test('range refuses options that are not an object, a negative or fractional limit, and unknown keys', async (t) => {
  const { ordered, done } = await tables();
  for (let i = 0; i < 10; i++) ordered.insert(i, i);
  t.throws(() => ordered.range(5 as never), { instanceOf: InvalidOptionError, message: /range: options must be/ });
  t.throws(() => ordered.range(null as never), { instanceOf: InvalidOptionError });
  t.throws(() => ordered.range({ limit: -1 }), { instanceOf: InvalidOptionError, message: /range: limit must be a non-negative integer/ });
  t.throws(() => ordered.range({ limit: 1.5 }), { instanceOf: InvalidOptionError });
  t.throws(() => ordered.range({ limit: NaN }), { instanceOf: InvalidOptionError });
  t.throws(() => ordered.range({ limt: 3 } as never), { instanceOf: InvalidOptionError, message: /did you mean limit\?/ });
  t.throws(() => ordered.range({ toExclusive: 'yes' } as never), { instanceOf: InvalidOptionError });
  t.deepEqual(ordered.range({ limit: 0 }), [], 'limit 0 is valid: nothing');
  t.is(ordered.range({ from: 2, limit: 3 }).length, 3);
  t.is(ordered.range().length, 10);
  await done();
});

test('insertMany refuses what is not an iterable of [key, value] pairs, and reads any iterable once', async (t) => {
  const { set, ordered, done } = await tables();
  for (const tb of [set, ordered]) {
    t.throws(() => tb.insertMany(5 as never), { instanceOf: InvalidOptionError, message: /insertMany on .*: entries must be an array/ });
    t.throws(() => tb.insertMany(undefined as never), { instanceOf: InvalidOptionError });
    t.throws(() => tb.insertMany('ab' as never), { instanceOf: InvalidOptionError }, 'a string is not a list of pairs');
    t.throws(() => tb.insertMany([['a', 1], 7] as never), { instanceOf: InvalidOptionError, message: /entries\[1\] must be a \[key, value\] pair/ });
    t.is(tb.size(), 0, 'all or none');
    tb.insertMany(new Map([['m', 1]]));
    function* gen(): Generator<[string, number]> {
      yield ['g1', 1];
      yield ['g2', 2];
    }
    tb.insertMany(gen());
    t.deepEqual([tb.lookup('m'), tb.lookup('g1'), tb.lookup('g2')], [1, 1, 2], 'a Map and a generator are read once, in full');
    t.throws(() => tb.insertNewMany?.(null as never), { instanceOf: InvalidOptionError });
  }
  await done();
});

test('match, select and selectPage refuse a callback that is not a function, even on an empty table', async (t) => {
  const { set, done } = await tables();
  t.throws(() => set.match(5 as never), { instanceOf: InvalidOptionError, message: /match on .*: where must be a function/ });
  t.throws(() => set.select(undefined, 'k' as never), { instanceOf: InvalidOptionError, message: /select on .*: map must be a function/ });
  t.throws(() => set.selectPage({} as never, 10), { instanceOf: InvalidOptionError });
  t.throws(() => set.selectPage(undefined, 10, 5 as never), { instanceOf: InvalidOptionError });
  t.deepEqual(set.match(), []);
  await done();
});

test('keys that are cyclic or nest deeper than 100 arrays are a BadKeyError that says so, not a stack overflow', async (t) => {
  const { set, ordered, done } = await tables();
  for (const tb of [set, ordered]) {
    for (const key of [cyclicArray(), deepArray(20_000), deepArray(101)]) {
      const e = t.throws(() => tb.insert(key as never, 1), { instanceOf: BadKeyError });
      t.regex(e!.message, /nests arrays more than 100 deep \(or contains itself\); use a flatter key/);
      t.throws(() => tb.lookup(key as never), { instanceOf: BadKeyError });
      t.throws(() => tb.insertMany([[key, 1]] as never), { instanceOf: BadKeyError });
    }
    tb.insert(deepArray(100) as never, 'deep');
    t.is(tb.lookup(deepArray(100) as never), 'deep', 'a key 100 arrays deep is a key');
  }
  t.throws(() => ordered.range({ from: cyclicArray() as never }), { instanceOf: BadKeyError });
  t.throws(() => compareKeys(deepArray(20_000) as never, 1), { instanceOf: BadKeyError });
  t.false(isKey(cyclicArray()));
  t.false(isKey(deepArray(20_000)));
  t.true(isKey(deepArray(100)));
  await done();
});

/** `[k, k]` nested `levels` times over one shared array: `levels` deep, 2^(levels+1) - 2 elements in all. */
function doubled(levels: number): unknown[] {
  let k: unknown[] = [];
  for (let i = 0; i < levels; i++) k = [k, k];
  return k;
}

test('keys with more than 100,000 array elements in all (a shallow key of shared sub-arrays too) are a BadKeyError that says so', async (t) => {
  const { set, ordered, done } = await tables();
  t.is(MAX_KEY_ELEMENTS, 100_000);
  const flat = new Array(MAX_KEY_ELEMENTS + 1).fill(1);
  // 20 deep, 2 million elements; 40 deep, 2^41 elements (walking it would never end).
  for (const tb of [set, ordered]) {
    for (const key of [flat, doubled(20), doubled(40)]) {
      const e = t.throws(() => tb.insert(key as never, 1), { instanceOf: BadKeyError });
      t.regex(e!.message, /holds more than 100000 array elements in all .*; use a smaller key/);
      t.is(e!.code, 'bad_key');
      t.throws(() => tb.lookup(key as never), { instanceOf: BadKeyError });
    }
    const most = new Array(MAX_KEY_ELEMENTS).fill(1);
    tb.insert(most as never, 'most');
    t.is(tb.lookup(new Array(MAX_KEY_ELEMENTS).fill(1) as never), 'most', 'a key of exactly 100,000 elements is a key');
    tb.insert(doubled(15) as never, 'shared');
    t.is(tb.lookup(doubled(15) as never), 'shared', 'a key of 65,534 elements over shared sub-arrays is a key');
  }
  t.throws(() => compareKeys(doubled(40) as never, 1), { instanceOf: BadKeyError });
  t.false(isKey(doubled(40)));
  t.false(isKey(flat));
  await done();
});
