import { InvalidOptionError, type ActorSystem } from '@arbor/core';
import type { Key } from '../keys/Key.js';
import { BagStore } from './BagStore.js';
import { BagTable } from './BagTable.js';
import { actorOf, identityOf, type ActorContext } from './context.js';
import { TableNameTakenError, TableTypeError } from './errors.js';
import { HashStore } from './HashStore.js';
import { OrderedStore } from './OrderedStore.js';
import { OrderedTable } from './OrderedTable.js';
import { checkHeir, namedTables, own, settleOwner } from './ownership.js';
import { SetTable } from './SetTable.js';
import type { Store } from './Store.js';
import { ACCESS_MODES, TABLE_TYPES, type Access, type TableOptions, type TableType } from './TableOptions.js';
import { checkKnownKeys, checkOptionsObject, checkSystem } from './checkOptions.js';
import { TableState } from './TableState.js';

/**
 * The handle class of a table type.
 *
 * @example
 * type Hits = TableOf<'set', string, number>; // SetTable<string, number>
 */
export type TableOf<T extends TableType, K extends Key, V> = T extends 'set'
  ? SetTable<K, V>
  : T extends 'ordered_set'
    ? OrderedTable<K, V>
    : BagTable<K, V>;

/**
 * A handle on a table of any type; narrow it with `table.type` or `instanceof`.
 *
 * @example
 * if (t instanceof OrderedTable) t.first();
 */
export type AnyTable<K extends Key = Key, V = unknown> = SetTable<K, V> | OrderedTable<K, V> | BagTable<K, V>;

const OPTION_KEYS: readonly string[] = ['type', 'name', 'access', 'heir'];
let unnamed = 0;

function storeOf(type: TableType): Store<any, any> {
  switch (type) {
    case 'set':
      return new HashStore();
    case 'ordered_set':
      return new OrderedStore();
    case 'bag':
      return new BagStore(false);
    case 'duplicate_bag':
      return new BagStore(true);
  }
}

function create<K extends Key, V>(ctx: ActorContext, options: TableOptions<'set'>): SetTable<K, V>;
function create<K extends Key, V>(ctx: ActorContext, options: TableOptions<'ordered_set'>): OrderedTable<K, V>;
function create<K extends Key, V>(ctx: ActorContext, options: TableOptions<'bag' | 'duplicate_bag'>): BagTable<K, V>;
function create<K extends Key, V>(ctx: ActorContext, options: TableOptions): AnyTable<K, V>;
function create<K extends Key, V>(ctx: ActorContext, options: TableOptions): AnyTable<K, V> {
  const { system, me } = actorOf('Ets.create', ctx);
  checkOptionsObject('Ets.create: options', options, "an object such as { type: 'set' }");
  checkKnownKeys('Ets.create', options, OPTION_KEYS);
  const { type, name, access = 'protected', heir } = options;
  if (!TABLE_TYPES.includes(type)) throw new InvalidOptionError('Ets.create: options.type', "'set', 'ordered_set', 'bag' or 'duplicate_bag'", type);
  if (!ACCESS_MODES.includes(access)) throw new InvalidOptionError('Ets.create: options.access', "'public', 'protected' or 'private'", access);
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new InvalidOptionError('Ets.create: options.name', 'a non-empty string', name);
  if (heir !== undefined && (heir === null || typeof heir !== 'object' || heir.ref === undefined)) {
    throw new InvalidOptionError('Ets.create: options.heir', '{ ref: ActorRef, data?: unknown }', heir);
  }
  if (heir !== undefined) checkHeir('Ets.create', 'options.heir.ref', heir.ref);
  const named = namedTables(system);
  if (name !== undefined) {
    // An owner that has just exited (its DOWN not handled yet) no longer holds the name.
    const taken = named.get(name);
    if (taken !== undefined) settleOwner(taken);
    if (named.has(name)) throw new TableNameTakenError(name);
  }
  const label = name !== undefined ? JSON.stringify(name) : `#Table<${++unnamed}>`;
  const state = new TableState<K, V>(system, type, access as Access, name, label, storeOf(type), me);
  const Handle: new (s: TableState<K, V>, me: typeof state.owner | null) => AnyTable<K, V> =
    type === 'set' ? SetTable : type === 'ordered_set' ? OrderedTable : BagTable;
  state.bind = (who) => new Handle(state, who);
  if (heir !== undefined) {
    state.heir = heir.ref;
    state.heirData = heir.data;
  }
  if (name !== undefined) named.set(name, state);
  own(state, me);
  return state.bind(me) as AnyTable<K, V>;
}

function whereis<K extends Key, V>(ctx: ActorContext | ActorSystem, name: string, type: 'set'): SetTable<K, V> | undefined;
function whereis<K extends Key, V>(ctx: ActorContext | ActorSystem, name: string, type: 'ordered_set'): OrderedTable<K, V> | undefined;
function whereis<K extends Key, V>(ctx: ActorContext | ActorSystem, name: string, type: 'bag' | 'duplicate_bag'): BagTable<K, V> | undefined;
function whereis<K extends Key, V>(ctx: ActorContext | ActorSystem, name: string, type: TableType): AnyTable<K, V> | undefined;
function whereis<K extends Key, V>(ctx: ActorContext | ActorSystem, name: string, type: TableType): AnyTable<K, V> | undefined {
  const { system, me } = identityOf('Ets.whereis', ctx);
  if (typeof name !== 'string') throw new InvalidOptionError('Ets.whereis: name', 'a table name (a string)', name);
  if (!TABLE_TYPES.includes(type)) throw new InvalidOptionError('Ets.whereis: type', "'set', 'ordered_set', 'bag' or 'duplicate_bag'", type);
  const state = namedTables(system).get(name);
  if (state !== undefined) settleOwner(state);
  if (state === undefined || state.deleted) return undefined;
  if (state.type !== type) throw new TableTypeError(state.label, `the table is a ${state.type}, not a ${type}; ask for type '${state.type}'`);
  return state.bind(me) as AnyTable<K, V>;
}

/**
 * ETS-style tables: in-memory key/value tables owned by an actor, read and written
 * synchronously by any actor the access mode lets in (no message round trip).
 *
 * @example
 * class Cache extends GenServer<{}, SetTable<string, number>> {
 *   override init() { this.state = Ets.create<string, number>(this, { type: 'set', name: 'cache' }); }
 * }
 * // elsewhere, outside any actor: a read-only handle on the protected table
 * const cache = Ets.whereis<string, number>(system, 'cache', 'set');
 */
export const Ets = {
  /**
   * Creates a table owned by the calling actor (`this` in its handler) and returns the
   * owner's handle. The table dies with the owner unless an heir is alive then.
   *
   * @example
   * const t = Ets.create<number, string>(this, { type: 'ordered_set', access: 'public' });
   */
  create,
  /**
   * The named table, bound to the calling actor (`this`) or to code outside any actor
   * (an ActorSystem); undefined if no table has the name. Throws TableTypeError if the
   * table is of another type.
   *
   * @example
   * const hits = Ets.whereis<string, number>(this, 'hits', 'set');
   */
  whereis,
  /** The names of the system's live named tables. */
  names(system: ActorSystem): string[] {
    checkSystem('Ets.names: system', system);
    const named = namedTables(system);
    for (const s of [...named.values()]) settleOwner(s);
    return [...named.keys()];
  },
};
