/**
 * Property tests: a random sequence of operations on each table type answers exactly as
 * a simple reference model (a Map of arrays) does, and leaves the same contents.
 */
import test from 'ava';
import fc from 'fast-check';
import { compareKeys, Ets, type AnyTable, type Key, type OrderedTable, type SetTable, type TableType } from '../../src/index.js';
import { hosts, inActor } from '../support/hosts.js';

type Op =
  | { op: 'insert' | 'insertNew' | 'deleteObject'; key: Key; value: number }
  | { op: 'delete' | 'take' | 'lookup' | 'member' | 'next' | 'prev'; key: Key }
  | { op: 'counter'; key: Key; incr: number }
  | { op: 'clear' };

const keyArb: fc.Arbitrary<Key> = fc.oneof(
  fc.integer({ min: 0, max: 30 }),
  fc.constantFrom('a', 'b', 'c'),
  fc.tuple(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 3 })) as fc.Arbitrary<Key>,
);
const opArb = (withCounters: boolean, ordered: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constantFrom('insert', 'insertNew', 'deleteObject'), key: keyArb, value: fc.integer({ min: 0, max: 3 }) }) },
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constantFrom(...(['delete', 'take', 'lookup', 'member', ...(ordered ? ['next', 'prev'] : [])] as const)), key: keyArb }),
    },
    ...(withCounters ? [{ weight: 2, arbitrary: fc.record({ op: fc.constant('counter' as const), key: keyArb, incr: fc.integer({ min: -3, max: 3 }) }) }] : []),
    { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  ) as fc.Arbitrary<Op>;

/** The reference: key code -> [key, values] with the type's rules, in plain JS. */
class Model {
  readonly m = new Map<string, [Key, number[]]>();
  constructor(readonly type: TableType) {}
  get unique(): boolean {
    return this.type === 'set' || this.type === 'ordered_set';
  }
  vals(k: Key): number[] {
    return this.m.get(JSON.stringify(k))?.[1] ?? [];
  }
  apply(o: Op): unknown {
    const code = 'key' in o ? JSON.stringify(o.key) : '';
    const vals = 'key' in o ? this.vals(o.key) : [];
    switch (o.op) {
      case 'insert':
        if (this.unique) this.m.set(code, [o.key, [o.value]]);
        else if (this.type === 'duplicate_bag' || !vals.includes(o.value)) this.m.set(code, [o.key, [...vals, o.value]]);
        return undefined;
      case 'insertNew':
        if (vals.length > 0) return false;
        this.m.set(code, [o.key, [o.value]]);
        return true;
      case 'deleteObject': {
        const kept = vals.filter((v) => v !== o.value);
        if (kept.length === 0) this.m.delete(code);
        else this.m.set(code, [o.key, kept]);
        return vals.length - kept.length;
      }
      case 'delete':
        return this.m.delete(code);
      case 'take':
        this.m.delete(code);
        return this.unique ? vals[0] : vals;
      case 'lookup':
        return this.unique ? vals[0] : vals;
      case 'member':
        return vals.length > 0;
      case 'next':
      case 'prev': {
        const keys = this.sortedKeys();
        return o.op === 'next' ? keys.find((k) => compareKeys(k, o.key) > 0) : keys.reverse().find((k) => compareKeys(k, o.key) < 0);
      }
      case 'counter': {
        const next = (vals[0] ?? 0) + o.incr;
        this.m.set(code, [o.key, [next]]);
        return next;
      }
      case 'clear':
        this.m.clear();
        return undefined;
    }
  }
  sortedKeys(): Key[] {
    return [...this.m.values()].map(([k]) => k).sort(compareKeys);
  }
  contents(): [Key, number][] {
    const out: [Key, number][] = [];
    for (const [k, vs] of this.m.values()) for (const v of vs) out.push([k, v]);
    return out;
  }
}

function run(tab: AnyTable<Key, number>, o: Op): unknown {
  const set = tab as SetTable<Key, number>;
  switch (o.op) {
    case 'insert':
      return tab.insert(o.key, o.value);
    case 'insertNew':
      return tab.insertNew(o.key, o.value);
    case 'deleteObject':
      return tab.deleteObject(o.key, o.value);
    case 'delete':
      return tab.delete(o.key);
    case 'take':
      return tab.take(o.key);
    case 'lookup':
      return tab.lookup(o.key);
    case 'member':
      return tab.member(o.key);
    case 'next':
      return (tab as OrderedTable<Key, number>).next(o.key);
    case 'prev':
      return (tab as OrderedTable<Key, number>).prev(o.key);
    case 'counter':
      return set.updateCounter(o.key, o.incr, 0);
    case 'clear':
      return tab.deleteAllObjects();
  }
}

const bySortedJson = (a: [Key, number], b: [Key, number]): number => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

for (const type of ['set', 'ordered_set', 'bag', 'duplicate_bag'] as const) {
  test(`property: random operations on a ${type} match the reference model`, async (t) => {
    const { system, refs } = await hosts(1);
    const unique = type === 'set' || type === 'ordered_set';
    const ordered = type === 'ordered_set';
    const make = (): Promise<AnyTable<Key, number>> => inActor(refs[0]!, (self) => Ets.create<Key, number>(self, { type, access: 'public' }));
    const tables: AnyTable<Key, number>[] = [];
    for (let i = 0; i < 120; i++) tables.push(await make());
    let next = 0;
    fc.assert(
      fc.property(fc.array(opArb(unique, ordered), { maxLength: ordered ? 400 : 150 }), (ops) => {
        const tab = tables[next++ % tables.length]!;
        tab.deleteAllObjects();
        const model = new Model(type);
        for (const o of ops) {
          const got = run(tab, o);
          const want = model.apply(o);
          if (JSON.stringify(got) !== JSON.stringify(want)) return false;
        }
        const contents = [...tab.entries()].map(([k, v]) => [k, v] as [Key, number]);
        if (tab.size() !== contents.length) return false;
        if (ordered) {
          const keys = contents.map(([k]) => k);
          if (JSON.stringify(keys) !== JSON.stringify(model.sortedKeys())) return false;
          const o = tab as OrderedTable<Key, number>;
          if (JSON.stringify(o.first()) !== JSON.stringify(keys[0]) || JSON.stringify(o.last()) !== JSON.stringify(keys[keys.length - 1])) return false;
        }
        return JSON.stringify(contents.sort(bySortedJson)) === JSON.stringify(model.contents().sort(bySortedJson));
      }),
      { numRuns: 120 },
    );
    t.true(tables.every((x) => x.alive));
    await system.shutdown();
  });
}

test('property: an ordered_set with many integer keys (leaf splits and merges) matches a sorted model', async (t) => {
  const { system, refs } = await hosts(1);
  const tab = await inActor(refs[0]!, (self) => Ets.create<number, number>(self, { type: 'ordered_set' }));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 2000 })), { minLength: 200, maxLength: 3000 }), (ops) => {
      tab.deleteAllObjects();
      const model = new Set<number>();
      for (const [add, k] of ops) {
        if (add) {
          tab.insert(k, k);
          model.add(k);
        } else if (tab.delete(k) !== model.delete(k)) return false;
      }
      const want = [...model].sort((a, b) => a - b);
      const lo = want[Math.floor(want.length / 3)] ?? 0;
      const hi = want[Math.floor((2 * want.length) / 3)] ?? 0;
      return (
        JSON.stringify(tab.range().map(([k]) => k)) === JSON.stringify(want) &&
        JSON.stringify(tab.range({ from: lo, to: hi }).map(([k]) => k)) === JSON.stringify(want.filter((k) => k >= lo && k <= hi))
      );
    }),
    { numRuns: 60 },
  );
  t.is(tab.size(), tab.range().length);
  await system.shutdown();
});
