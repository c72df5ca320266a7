/**
 * Every public export of @arbor/ets, called with junk: each call either throws an
 * ArborError subclass (never a raw TypeError or RangeError, never a hang) or the junk is
 * a documented valid input (a number, a string or an array is a key; an omitted option
 * is its default).
 *
 * Not probed, with the reason: the constructors of Table, SetTable, OrderedTable, BagTable
 * and SelectContinuation are @internal (handles come from Ets.create / whereis / as, a
 * continuation from selectPage): their methods are probed on real handles instead; the
 * argument-free methods (info, size, entries, first, last, drop, deleteAllObjects,
 * childSpec, keeperSpec) take no input to be junk.
 */
import test from 'ava';
import { ArborError } from '@arbor/core';
import {
  AccessDeniedError,
  BadKeyError,
  compareKeys,
  CounterError,
  Ets,
  isKey,
  NotStartedError,
  OwnershipError,
  TableDeletedError,
  TableNameTakenError,
  TableOwner,
  TableSpec,
  TableTypeError,
  UnknownTableError,
  type AnyTable,
  type BagTable,
  type OrderedTable,
  type SetTable,
} from '../src/index.js';
import { hosts, inActor } from './support/hosts.js';
import { cyclicArray, deepArray, junkValues, probe, probeErrorConstructors, showOutcome, type Outcome } from '@arbor/test-support';

type Tables = { set: SetTable<any, any>; ordered: OrderedTable<any, any>; bag: BagTable<any, any> };

/** One probed entry point: `call(junk)`; `valid` lists the junk labels that are documented valid inputs. */
interface Row {
  readonly entry: string;
  readonly call: (junk: unknown, env: Env) => unknown;
  readonly valid?: readonly string[];
  /** Also probe a cyclic array and a 20,000-deep array (key positions). */
  readonly keys?: boolean;
}

interface Env extends Tables {
  readonly system: import('@arbor/core').ActorSystem;
  /** Runs `fn` in an actor's handler (with `this` as context) and returns its outcome. */
  readonly inside: (fn: (self: import('./support/hosts.js').Host) => unknown) => Promise<Outcome>;
}

const KEYS = ['5', "'x'", '[]'];
const OMITTED = ['undefined'];
/** A callback position: a function is the valid input (and undefined where the callback is optional). */
const FN = ['function'];
const FN_OR_OMITTED = ['undefined', 'function'];

const tableRows = (name: keyof Tables): Row[] => {
  const t = (e: Env): AnyTable<any, any> => e[name];
  return [
    { entry: `${name}.as(j)`, call: (j, e) => t(e).as(j as never) },
    { entry: `${name}.member(j)`, call: (j, e) => t(e).member(j as never), valid: KEYS, keys: true },
    { entry: `${name}.delete(j)`, call: (j, e) => t(e).delete(j as never), valid: KEYS, keys: true },
    { entry: `${name}.deleteObject(j, 1)`, call: (j, e) => t(e).deleteObject(j as never, 1), valid: KEYS, keys: true },
    { entry: `${name}.lookup(j)`, call: (j, e) => t(e).lookup(j as never), valid: KEYS, keys: true },
    { entry: `${name}.insert(j, 1)`, call: (j, e) => t(e).insert(j as never, 1), valid: KEYS, keys: true },
    { entry: `${name}.insertNew(j, 1)`, call: (j, e) => t(e).insertNew(j as never, 1), valid: KEYS, keys: true },
    { entry: `${name}.take(j)`, call: (j, e) => t(e).take(j as never), valid: KEYS, keys: true },
    { entry: `${name}.insertMany(j)`, call: (j, e) => t(e).insertMany(j as never), valid: ['[]'] },
    { entry: `${name}.insertMany([j])`, call: (j, e) => t(e).insertMany([j] as never), valid: [] },
    { entry: `${name}.insertMany([[j, 1]])`, call: (j, e) => t(e).insertMany([[j, 1]] as never), valid: KEYS, keys: true },
    { entry: `${name}.match(j)`, call: (j, e) => t(e).match(j as never), valid: FN_OR_OMITTED },
    { entry: `${name}.select(j, map)`, call: (j, e) => t(e).select(j as never, (k) => k), valid: FN_OR_OMITTED },
    { entry: `${name}.select(undefined, j)`, call: (j, e) => t(e).select(undefined, j as never), valid: FN },
    { entry: `${name}.selectPage(j, 1)`, call: (j, e) => t(e).selectPage(j as never, 1), valid: FN_OR_OMITTED },
    { entry: `${name}.selectPage(undefined, j)`, call: (j, e) => t(e).selectPage(undefined, j as never), valid: ['5'] },
    { entry: `${name}.selectPage(undefined, 1, j)`, call: (j, e) => t(e).selectPage(undefined, 1, j as never), valid: FN_OR_OMITTED },
    { entry: `${name}.selectContinue(j)`, call: (j, e) => t(e).selectContinue(j as never) },
    { entry: `${name}.giveAway(j, 1)`, call: (j, e) => t(e).giveAway(j as never, 1) },
    { entry: `${name}.setHeir(j)`, call: (j, e) => t(e).setHeir(j as never), valid: ['null'] },
  ];
};

const ROWS: Row[] = [
  { entry: 'compareKeys(j, 1)', call: (j) => compareKeys(j as never, 1), valid: KEYS, keys: true },
  { entry: 'compareKeys(1, j)', call: (j) => compareKeys(1, j as never), valid: KEYS, keys: true },
  { entry: 'compareKeys(NaN, j)', call: (j) => compareKeys(NaN, j as never), keys: true },
  // isKey answers false for anything that is not a key: every junk is a valid argument.
  { entry: 'isKey(j)', call: (j) => isKey(j), valid: [...junkValues().map(([l]) => l), 'cyclic array', '20,000-deep array'], keys: true },
  { entry: 'Ets.create(j, options)', call: (j) => Ets.create(j as never, { type: 'set' }) },
  { entry: 'Ets.create(this, j)', call: (j, e) => e.inside((self) => Ets.create(self, j as never)) },
  { entry: 'Ets.create(this, { type: j })', call: (j, e) => e.inside((self) => Ets.create(self, { type: j } as never)) },
  { entry: "Ets.create(this, { type: 'set', name: j })", call: (j, e) => e.inside((self) => Ets.create(self, { type: 'set', name: j } as never)), valid: ['undefined', "'x'"] },
  { entry: "Ets.create(this, { type: 'set', access: j })", call: (j, e) => e.inside((self) => Ets.create(self, { type: 'set', access: j } as never)), valid: OMITTED },
  { entry: "Ets.create(this, { type: 'set', heir: j })", call: (j, e) => e.inside((self) => Ets.create(self, { type: 'set', heir: j } as never)), valid: OMITTED },
  { entry: "Ets.create(this, { type: 'set', j: 1 }) (unknown key)", call: (j, e) => e.inside((self) => Ets.create(self, { type: 'set', [String(typeof j)]: 1 } as never)) },
  { entry: "Ets.whereis(j, 'n', 'set')", call: (j) => Ets.whereis(j as never, 'n', 'set') },
  { entry: "Ets.whereis(system, j, 'set')", call: (j, e) => Ets.whereis(e.system, j as never, 'set'), valid: ["'x'"] },
  { entry: "Ets.whereis(system, 'probe_set', j)", call: (j, e) => Ets.whereis(e.system, 'probe_set', j as never) },
  { entry: 'Ets.names(j)', call: (j) => Ets.names(j as never) },
  ...tableRows('set'),
  ...tableRows('ordered'),
  ...tableRows('bag'),
  { entry: 'set.insertNewMany(j)', call: (j, e) => e.set.insertNewMany(j as never), valid: ['[]'] },
  { entry: 'set.insertNewMany([[j, 1]])', call: (j, e) => e.set.insertNewMany([[j, 1]] as never), valid: KEYS, keys: true },
  { entry: "set.updateCounter(j, 1, 0)", call: (j, e) => e.set.updateCounter(j as never, 1, 0), valid: KEYS, keys: true },
  { entry: "set.updateCounter('c', j, 0)", call: (j, e) => e.set.updateCounter('c', j as never, 0), valid: ['5'] },
  { entry: "set.updateCounter('c', 1, j)", call: (j, e) => e.set.updateCounter('c', 1, j as never), valid: ['undefined', '5'] },
  { entry: "set.updateCounter('c', { incr: 1, threshold: j, setValue: 0 }, 0)", call: (j, e) => e.set.updateCounter('c', { incr: 1, threshold: j, setValue: 0 } as never, 0), valid: ['undefined', '5'] },
  { entry: "set.updateCounter('c', { incr: 1, threshold: 9, setValue: j }, 0)", call: (j, e) => e.set.updateCounter('c', { incr: 1, threshold: 9, setValue: j } as never, 0), valid: ['5'] },
  { entry: 'ordered.next(j)', call: (j, e) => e.ordered.next(j as never), valid: KEYS, keys: true },
  { entry: 'ordered.prev(j)', call: (j, e) => e.ordered.prev(j as never), valid: KEYS, keys: true },
  { entry: 'ordered.range(j)', call: (j, e) => e.ordered.range(j as never), valid: ['undefined', '{}'] },
  { entry: 'ordered.range({ from: j })', call: (j, e) => e.ordered.range({ from: j } as never), valid: ['undefined', ...KEYS], keys: true },
  { entry: 'ordered.range({ to: j })', call: (j, e) => e.ordered.range({ to: j } as never), valid: ['undefined', ...KEYS], keys: true },
  { entry: 'ordered.range({ limit: j })', call: (j, e) => e.ordered.range({ limit: j } as never), valid: ['undefined', '5'] },
  { entry: 'ordered.range({ fromExclusive: j })', call: (j, e) => e.ordered.range({ fromExclusive: j } as never), valid: OMITTED },
  { entry: 'ordered.range({ toExclusive: j })', call: (j, e) => e.ordered.range({ toExclusive: j } as never), valid: OMITTED },
  { entry: 'TableOwner.define(j, {})', call: (j) => TableOwner.define(j as never, {}), valid: ["'x'"] },
  { entry: "TableOwner.define('o', j)", call: (j) => TableOwner.define('o', j as never), valid: ['{}'] },
  { entry: "TableOwner.define('o', { t: j })", call: (j) => TableOwner.define('o', { t: j } as never) },
  { entry: 'owner.ensureTable(j, system)', call: (j, e) => TableOwner.define('o', { t: TableSpec.set() }).ensureTable(j as never, e.system) },
  { entry: "owner.ensureTable('t', j)", call: (j) => TableOwner.define('o', { t: TableSpec.set() }).ensureTable('t', j as never) },
  { entry: 'owner.isRunning(j)', call: (j) => TableOwner.define('o', {}).isRunning(j as never), valid: OMITTED },
  { entry: 'TableSpec.set(j)', call: (j) => TableSpec.set(j as never), valid: ['undefined', '{}'] },
  { entry: 'TableSpec.orderedSet({ access: j })', call: (j) => TableSpec.orderedSet({ access: j } as never), valid: OMITTED },
  { entry: 'TableSpec.bag({ keep: j })', call: (j) => TableSpec.bag({ keep: j } as never), valid: OMITTED },
];

// Error constructors take anything (they only describe it): each must still build an ArborError with a one-line message.
const ERRORS: [string, (j: unknown) => ArborError][] = [
  ['BadKeyError', (j) => new BadKeyError('t', 'insert', j)],
  ['AccessDeniedError', (j) => new AccessDeniedError('t', 'insert', 'protected', j as never)],
  ['TableDeletedError', (j) => new TableDeletedError(j as never, 'insert')],
  ['TableNameTakenError', (j) => new TableNameTakenError(j as never)],
  ['OwnershipError', (j) => new OwnershipError('t', 'giveAway', j as never)],
  ['CounterError', (j) => new CounterError('t', j, 'reason')],
  ['TableTypeError', (j) => new TableTypeError('t', j as never)],
  ['UnknownTableError', (j) => new UnknownTableError('o', j as never, [])],
  ['NotStartedError', (j) => new NotStartedError(j as never, '')],
];

async function environment(): Promise<{ env: Env; done: () => Promise<void> }> {
  const { system, refs } = await hosts(1);
  const host = refs[0]!;
  const made = await inActor(host, (self) => ({
    set: Ets.create<any, any>(self, { type: 'set', access: 'public', name: 'probe_set' }),
    ordered: Ets.create<any, any>(self, { type: 'ordered_set', access: 'public' }),
    bag: Ets.create<any, any>(self, { type: 'bag', access: 'public' }),
  }));
  for (const tb of [made.set, made.ordered, made.bag]) tb.insert('seed', 1);
  const inside = (fn: (self: import('./support/hosts.js').Host) => unknown): Promise<Outcome> => inActor(host, (self) => probe(() => fn(self)));
  return { env: { system, ...made, inside }, done: () => system.shutdown() };
}

async function outcomeOf(row: Row, junk: unknown, env: Env): Promise<Outcome> {
  const o = await probe(() => row.call(junk, env));
  // An `inside` row returns the outcome from within the actor.
  if (o.kind === 'value' && o.value !== null && typeof o.value === 'object' && 'kind' in (o.value as object)) return o.value as Outcome;
  return o;
}

test('junk probe: every public entry of @arbor/ets throws an ArborError or takes the junk as documented valid input', async (t) => {
  const { env, done } = await environment();
  const wrong: string[] = [];
  for (const row of ROWS) {
    const junk = junkValues();
    if (row.keys === true) junk.push(['cyclic array', cyclicArray()], ['20,000-deep array', deepArray(20_000)]);
    for (const [label, value] of junk) {
      const o = await outcomeOf(row, value, env);
      const valid = row.valid?.includes(label) === true;
      const ok = valid ? o.kind === 'value' : (o.kind === 'threw' || o.kind === 'rejected') && o.error instanceof ArborError;
      if (!ok) wrong.push(`${row.entry} with ${label}: ${showOutcome(o)}${valid ? ' (a valid input)' : ''}`);
    }
  }
  wrong.push(...(await probeErrorConstructors(ERRORS, (e) => e instanceof ArborError)));
  t.deepEqual(wrong, []);
  await done();
});
