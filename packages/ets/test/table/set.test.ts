import test from 'ava';
import { BadKeyError, Ets, TableDeletedError, type SetTable } from '../../src/index.js';
import { hosts, inActor } from '../support/hosts.js';

async function withSet(type: 'set' | 'ordered_set'): Promise<{ t: SetTable<any, any>; done: () => Promise<void> }> {
  const { system, refs } = await hosts(1);
  const t = await inActor(refs[0]!, (self) => Ets.create<any, any>(self, { type, access: 'public' }));
  return { t: t as SetTable<any, any>, done: () => system.shutdown() };
}

for (const type of ['set', 'ordered_set'] as const) {
  test(`${type}: insert replaces, lookup, member, size`, async (t) => {
    const { t: tab, done } = await withSet(type);
    tab.insert('a', 1);
    tab.insert('a', 2);
    tab.insert(3, 'three');
    tab.insert(['w', 1], { x: 1 });
    t.is(tab.lookup('a'), 2);
    t.is(tab.lookup(3), 'three');
    t.deepEqual(tab.lookup(['w', 1]), { x: 1 }, 'an equal array finds the array key');
    t.is(tab.lookup('missing'), undefined);
    t.true(tab.member(['w', 1]));
    t.false(tab.member(['w', 2]));
    t.is(tab.size(), 3);
    await done();
  });

  test(`${type}: insertMany is all or none, insertNew and insertNewMany`, async (t) => {
    const { t: tab, done } = await withSet(type);
    tab.insertMany([['a', 1], ['b', 2], ['a', 3]]);
    t.is(tab.lookup('a'), 3, 'a later entry wins');
    t.throws(() => tab.insertMany([['c', 1], [NaN, 2]]), { instanceOf: BadKeyError });
    t.false(tab.member('c'), 'nothing inserted when a key is bad');
    t.false(tab.insertNew('a', 9));
    t.is(tab.lookup('a'), 3);
    t.true(tab.insertNew('z', 26));
    t.false(tab.insertNewMany([['y', 1], ['a', 1]]));
    t.false(tab.member('y'), 'insertNewMany inserts none when one key exists');
    t.true(tab.insertNewMany([['y', 1], ['x', 2]]));
    t.deepEqual([tab.lookup('y'), tab.lookup('x')], [1, 2]);
    t.true(tab.insertNewMany([['w', 1], ['w', 2]]), 'repeated new keys in one list: inserted, the later wins');
    t.is(tab.lookup('w'), 2);
    await done();
  });

  test(`${type}: take, delete, deleteObject, deleteAllObjects`, async (t) => {
    const { t: tab, done } = await withSet(type);
    tab.insertMany([['a', { n: 1 }], ['b', 2], ['c', 3]]);
    t.deepEqual(tab.take('a'), { n: 1 });
    t.false(tab.member('a'));
    t.is(tab.take('a'), undefined);
    t.true(tab.delete('b'));
    t.false(tab.delete('b'));
    tab.insert('d', { n: [1, 2] });
    t.is(tab.deleteObject('d', { n: [1, 3] }), 0, 'a different value stays');
    t.is(tab.deleteObject('d', { n: [1, 2] }), 1, 'an equal value goes');
    t.false(tab.member('d'));
    tab.deleteAllObjects();
    t.is(tab.size(), 0);
    t.true(tab.alive);
    await done();
  });

  test(`${type}: match, select, selectPage with continuations`, async (t) => {
    const { t: tab, done } = await withSet(type);
    for (let i = 0; i < 25; i++) tab.insert(i, i * i);
    t.deepEqual(
      tab.match((k) => (k as number) < 3).sort((a, b) => (a[0] as number) - (b[0] as number)),
      [[0, 0], [1, 1], [2, 4]],
    );
    t.deepEqual(tab.select((_k, v) => (v as number) > 500, (k) => k), [23, 24].filter(() => true).sort());
    const seen: number[] = [];
    let page = tab.selectPage((k) => (k as number) % 2 === 0, 5, (k) => k as number);
    seen.push(...page.results);
    t.is(page.results.length, 5);
    while (page.continuation !== null) {
      const c = page.continuation;
      page = tab.selectContinue(c);
      seen.push(...page.results);
      t.throws(() => tab.selectContinue(c), { code: 'table_type' }, 'a continuation is good for one call');
    }
    t.deepEqual(seen.sort((a, b) => a - b), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    t.throws(() => tab.selectPage(undefined, 0), { code: 'invalid_option' });
    await done();
  });

  test(`${type}: bad keys are a typed error; info`, async (t) => {
    const { t: tab, done } = await withSet(type);
    for (const bad of [NaN, { a: 1 }, [1, NaN], true, null, undefined]) {
      t.throws(() => tab.insert(bad, 1), { instanceOf: BadKeyError });
      t.throws(() => tab.lookup(bad), { instanceOf: BadKeyError });
    }
    tab.insert('a', 1);
    const info = tab.info();
    t.is(info.type, type);
    t.is(info.size, 1);
    t.is(info.access, 'public');
    t.is(info.heir, null);
    t.true(info.memory > 0);
    await done();
  });

  test(`${type}: a dropped table throws TableDeletedError on every operation`, async (t) => {
    const { t: tab, done } = await withSet(type);
    tab.insert('a', 1);
    tab.drop();
    t.false(tab.alive);
    for (const op of [() => tab.lookup('a'), () => tab.insert('a', 1), () => tab.size(), () => tab.match(), () => tab.info(), () => tab.drop()]) {
      t.throws(op, { instanceOf: TableDeletedError });
    }
    await done();
  });
}

test('set: iteration tolerates writes: deleted objects are not seen, each present object once, new ones after', async (t) => {
  const { t: tab, done } = await withSet('set');
  for (let i = 0; i < 10; i++) tab.insert(i, i);
  const seen: number[] = [];
  for (const [k] of tab.entries()) {
    seen.push(k as number);
    if (k === 0) {
      tab.delete(5);
      tab.insert(100, 100);
    }
  }
  t.deepEqual(seen, [0, 1, 2, 3, 4, 6, 7, 8, 9, 100]);
  await done();
});
