/**
 * Type tests: each `@ts-expect-error` line must fail to compile, so the build fails if the
 * typing ever lets an undeclared table name, a wrong key or value, or an operation of
 * another table type through. The runtime part checks the same handles behave as typed.
 */
import test from 'ava';
import { createSystem, Supervisor } from '@arbor/core';
import { Ets, TableOwner, TableSpec, UnknownTableError, type BagTable, type OrderedTable, type SetTable } from '../src/index.js';
import { hosts, inActor } from './support/hosts.js';

const App = TableOwner.define('types_app', {
  hits: TableSpec.set<string, number>(),
  timeline: TableSpec.orderedSet<number, string>(),
  subs: TableSpec.duplicateBag<string, { id: number }>(),
});

function compileOnly(set: SetTable<string, number>, names: SetTable<string, string>, bag: BagTable<string, number>): void {
  // @ts-expect-error 'nope' is not a declared table
  App.ensureTable('nope');
  const hits: SetTable<string, number> = App.ensureTable('hits');
  // @ts-expect-error the timeline is an ordered_set of number -> string, not a set of string -> number
  const _wrong: SetTable<string, number> = App.ensureTable('timeline');
  const _t: OrderedTable<number, string> = App.ensureTable('timeline');
  // @ts-expect-error hits holds numbers
  hits.insert('a', 'one');
  // @ts-expect-error hits is keyed by strings
  set.insert(1, 1);
  // @ts-expect-error a key must be a number, a string or an array of those
  Ets.create<{ id: number }, number>(null as never, { type: 'set' });
  // @ts-expect-error updateCounter needs a table of numbers
  names.updateCounter('a', 1);
  // @ts-expect-error a set has no range queries (only an ordered_set has)
  set.range();
  // @ts-expect-error a bag's lookup returns every value: number[], not number
  const _one: number | undefined = bag.lookup('a');
  // @ts-expect-error bags have no counters
  bag.updateCounter('a', 1);
  void _wrong;
  void _t;
  void _one;
}
void compileOnly;

test('the typed handles behave as typed at run time', async (t) => {
  const system = createSystem();
  await Supervisor.start(system, { strategy: 'one_for_one', intensity: 1, period: 1000, children: [App.childSpec()] });
  t.is(App.ensureTable('timeline', system).type, 'ordered_set');
  t.is(App.ensureTable('subs', system).type, 'duplicate_bag');
  t.throws(() => App.ensureTable('nope' as never, system), { instanceOf: UnknownTableError });
  const { system: s2, refs } = await hosts(1);
  const bag = await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'bag' }));
  bag.insert('a', 1);
  t.deepEqual(bag.lookup('a'), [1]);
  await s2.shutdown();
  await system.shutdown();
});
