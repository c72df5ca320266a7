import test from 'ava';
import { Ets, TableDeletedError, type Key, type OrderedTable, type SetTable } from '../../src/index.js';
import { hosts, inActor } from '../support/hosts.js';

test('ordered_set: selectPage pages in key order and sees writes made between pages ahead of the cursor', async (t) => {
  const { system, refs } = await hosts(2);
  const tab = await inActor(refs[0]!, (self) => Ets.create<number, string>(self, { type: 'ordered_set', access: 'public' }));
  for (let i = 0; i < 10; i++) tab.insert(i * 10, `v${i}`);
  let page = tab.selectPage(undefined, 4, (k) => k);
  const pages: number[][] = [page.results];
  // Another actor writes between pages: one key behind the cursor, one ahead, and deletes one ahead.
  await inActor(refs[1]!, (self) => {
    const mine = tab.as(self);
    mine.insert(5, 'behind');
    mine.insert(45, 'ahead');
    mine.delete(60);
  });
  while (page.continuation !== null) {
    page = tab.selectContinue(page.continuation);
    pages.push(page.results);
  }
  t.deepEqual(pages, [[0, 10, 20, 30], [40, 45, 50, 70], [80, 90]]);
  await system.shutdown();
});

test('a walk on a table deleted meanwhile throws TableDeletedError at its next step', async (t) => {
  const { system, refs } = await hosts(1);
  const tab = await inActor(refs[0]!, (self) => Ets.create<number, number>(self, { type: 'set', access: 'public' }));
  tab.insertMany([[1, 1], [2, 2], [3, 3]]);
  const it = tab.entries();
  t.deepEqual(it.next().value, [1, 1]);
  tab.drop();
  t.throws(() => it.next(), { instanceOf: TableDeletedError });
  await system.shutdown();
});

test('reads of a private table by a non-owner are refused for every read, walks included', async (t) => {
  const { system, refs } = await hosts(1);
  const tab = await inActor(refs[0]!, (self) => Ets.create<Key, number>(self, { type: 'ordered_set', access: 'private' }));
  tab.insert(1, 1);
  const outside = tab.as(system) as OrderedTable<Key, number>;
  const reads: (() => unknown)[] = [
    () => outside.lookup(1),
    () => outside.member(1),
    () => outside.size(),
    () => outside.info(),
    () => outside.match(),
    () => outside.select(undefined, (k) => k),
    () => outside.selectPage(undefined, 1),
    () => [...outside.entries()],
    () => outside.first(),
    () => outside.last(),
    () => outside.next(0),
    () => outside.prev(2),
    () => outside.range(),
  ];
  for (const read of reads) t.throws(read, { code: 'access_denied' });
  t.is(tab.lookup(1), 1, "the owner's handle still reads");
  await system.shutdown();
});

test('a protected table refuses every write from a non-owner handle', async (t) => {
  const { system, refs } = await hosts(1);
  const tab = await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'set' }));
  tab.insert('a', 1);
  const outside = tab.as(system) as SetTable<string, number>;
  const writes: (() => unknown)[] = [
    () => outside.insert('b', 1),
    () => outside.insertMany([['b', 1]]),
    () => outside.insertNew('b', 1),
    () => outside.insertNewMany([['b', 1]]),
    () => outside.take('a'),
    () => outside.delete('a'),
    () => outside.deleteObject('a', 1),
    () => outside.deleteAllObjects(),
    () => outside.updateCounter('a', 1),
  ];
  for (const write of writes) t.throws(write, { code: 'access_denied' });
  t.is(outside.lookup('a'), 1, 'reads are allowed and nothing changed');
  t.is(outside.size(), 1);
  await system.shutdown();
});
