import { InvalidOptionError, type ActorRef, type ActorSystem } from '@arbor/core';
import { checkKey, type Key } from '../keys/Key.js';
import { identityOf, type ActorContext } from './context.js';
import { checkFunction } from './checkOptions.js';
import { AccessDeniedError, OwnershipError, TableDeletedError, TableTypeError } from './errors.js';
import { checkHeir, checkReceiver, deleteTable, settleOwner, transfer } from './ownership.js';
import { runPage, SelectContinuation, type SelectPage } from './SelectContinuation.js';
import type { Entry } from './Store.js';
import type { TableInfo, TableType } from './TableOptions.js';
import type { TableState } from './TableState.js';

const identity = <K, V>(key: K, value: V): Entry<any, any> => [key, value];

/**
 * A handle on a table, bound to one actor (or to code outside any actor). Every
 * operation checks the bound actor against the table's owner and access mode (an O(1)
 * check): reads need `access !== 'private'` or ownership, writes need `access ===
 * 'public'` or ownership. The owner's handle comes from `Ets.create`; others get their
 * own with `Ets.whereis(this, name, type)` or `table.as(this)`. A handle is a capability:
 * whoever holds the owner's handle writes as the owner, so hand out `as(...)` copies.
 *
 * The subclasses add the type's own operations: {@link SetTable}, {@link OrderedTable},
 * {@link BagTable}.
 *
 * @example
 * const mine = Ets.create<string, number>(this, { type: 'set', name: 'hits' });
 * mine.insert('a', 1);
 * const theirs = Ets.whereis<string, number>(system, 'hits', 'set')!; // reads only
 */
export abstract class Table<K extends Key, V> {
  /** @internal */
  readonly _s: TableState<K, V>;
  /** @internal */
  readonly _me: ActorRef | null;

  /** @internal */
  constructor(state: TableState<K, V>, me: ActorRef | null) {
    this._s = state;
    this._me = me;
  }

  /** The table type. */
  get type(): TableType {
    return this._s.type;
  }

  /** The table's name, or undefined. */
  get name(): string | undefined {
    return this._s.name;
  }

  /** The actor this handle acts for (null: outside any actor). */
  get boundTo(): ActorRef | null {
    return this._me;
  }

  /** False once the table is deleted. */
  get alive(): boolean {
    settleOwner(this._s);
    return !this._s.deleted;
  }

  /** True while this handle's actor owns the table. */
  get isOwner(): boolean {
    return this._s.owner === this._me && !this._s.deleted;
  }

  /** Throws the error a refused read or write deserves. @internal */
  _refuse(op: string): never {
    const s = this._s;
    if (s.deleted) throw new TableDeletedError(s.label, op);
    throw new AccessDeniedError(s.label, op, s.access, this._me);
  }

  /** The state, after checking a read. @internal */
  _read(op: string): TableState<K, V> {
    const s = this._s;
    if (s.readMode !== 0 && (s.readMode === 2 || s.owner !== this._me)) this._refuse(op);
    return s;
  }

  /** The state, after checking a write. @internal */
  _write(op: string): TableState<K, V> {
    const s = this._s;
    if (s.writeMode !== 0 && (s.writeMode === 2 || s.owner !== this._me)) this._refuse(op);
    return s;
  }

  /** The state, after checking that this handle's actor owns the table. @internal */
  _own(op: string): TableState<K, V> {
    const s = this._s;
    if (s.deleted) throw new TableDeletedError(s.label, op);
    if (s.owner !== this._me) throw new OwnershipError(s.label, op, 'only the owner may do this; use the handle Ets.create returned (or the one an ets_transfer message brought)');
    return s;
  }

  /**
   * The same table, bound to another actor (`this` in its handler) or to code outside any
   * actor (an ActorSystem). The new handle has that actor's rights, never this one's.
   *
   * @example
   * override init(shared: SetTable<string, number>) { this.state = shared.as(this); }
   */
  as(ctx: ActorContext | ActorSystem): this {
    const { system, me } = identityOf('as', ctx);
    if (system !== this._s.system) throw new InvalidOptionError('as: context', 'an actor (or the system) of the system the table lives in', ctx);
    return this._s.bind(me) as this;
  }

  /**
   * Size, type, access, owner, heir, name and a memory estimate.
   *
   * @example
   * table.info(); // { type: 'set', size: 3, memory: 184, access: 'protected', ... }
   */
  info(): TableInfo {
    const s = this._read('info');
    return { type: s.type, name: s.name, access: s.access, owner: s.owner, heir: s.heir, size: s.store.size, memory: s.store.overheadBytes() };
  }

  /** Objects held. */
  size(): number {
    return this._read('size').store.size;
  }

  /**
   * True if some object has `key`.
   *
   * @example
   * if (!taints.member(workerId)) route(workerId);
   */
  member(key: K): boolean {
    const s = this._read('member');
    checkKey(s.label, 'member', key);
    return s.store.has(key);
  }

  /**
   * Removes every object under `key`; true if there was one.
   *
   * @example
   * taints.delete(workerId);
   */
  delete(key: K): boolean {
    const s = this._write('delete');
    checkKey(s.label, 'delete', key);
    return s.store.remove(key);
  }

  /**
   * Removes the objects under `key` whose value equals `value` (structurally: see
   * docs/ets.md); returns how many went (in a duplicate_bag, every equal copy goes).
   *
   * @example
   * bag.deleteObject('topic', subscriber);
   */
  deleteObject(key: K, value: V): number {
    const s = this._write('deleteObject');
    checkKey(s.label, 'deleteObject', key);
    return s.store.removeObject(key, value);
  }

  /** Removes every object; the table stays. */
  deleteAllObjects(): void {
    this._write('deleteAllObjects').store.clear();
  }

  /**
   * Every object for which `where` is true (every object without it), in the table's
   * traversal order.
   *
   * @example
   * const stale = taints.match((id, t) => t.until < Date.now());
   */
  match(where?: (key: K, value: V) => boolean): Entry<K, V>[] {
    checkFunction(`match on ${this._read('match').label}: where`, where, true);
    return this.select(where, identity as (key: K, value: V) => Entry<K, V>);
  }

  /**
   * Maps every object for which `where` is true with `map` (ETS's select with a match
   * spec, as two typed functions).
   *
   * @example
   * const hot = hits.select((k, n) => n > 100, (k) => k); // string[]
   */
  select<R>(where: ((key: K, value: V) => boolean) | undefined, map: (key: K, value: V) => R): R[] {
    const s = this._read('select');
    checkFunction(`select on ${s.label}: where`, where, true);
    checkFunction(`select on ${s.label}: map`, map, false);
    const walk = s.store.walk();
    const out: R[] = [];
    for (let e = walk.next(); e !== undefined; e = walk.next()) if (where === undefined || where(e[0], e[1])) out.push(map(e[0], e[1]));
    return out;
  }

  /**
   * Like `select`, but stops after `limit` results and returns a continuation to go on
   * with `selectContinue`. Writes between pages are tolerated (docs/ets.md, "Traversal").
   *
   * @example
   * let page = table.selectPage(undefined, 500);
   * for (;;) { handle(page.results); if (!page.continuation) break; page = table.selectContinue(page.continuation); }
   */
  selectPage(where: ((key: K, value: V) => boolean) | undefined, limit: number): SelectPage<Entry<K, V>>;
  selectPage<R>(where: ((key: K, value: V) => boolean) | undefined, limit: number, map: (key: K, value: V) => R): SelectPage<R>;
  selectPage<R>(where: ((key: K, value: V) => boolean) | undefined, limit: number, map?: (key: K, value: V) => R): SelectPage<R> {
    const s = this._read('selectPage');
    checkFunction(`selectPage on ${s.label}: where`, where, true);
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidOptionError('selectPage: limit', 'a positive integer', limit);
    checkFunction(`selectPage on ${s.label}: map`, map, true);
    const m = (map ?? identity) as (key: K, value: V) => R;
    return runPage(new SelectContinuation<R>(s, s.store.walk(), where, m, limit));
  }

  /**
   * The next page of a `selectPage`. A continuation is good for one call on its own table.
   *
   * @example
   * page = table.selectContinue(page.continuation!);
   */
  selectContinue<R>(continuation: SelectContinuation<R>): SelectPage<R> {
    const s = this._read('selectContinue');
    if (!(continuation instanceof SelectContinuation) || continuation.state !== s) {
      throw new TableTypeError(s.label, 'selectContinue needs a continuation that a selectPage on this table returned');
    }
    if (continuation.used) throw new TableTypeError(s.label, 'this continuation was already used; continue from the page it returned');
    return runPage(continuation);
  }

  /**
   * A live iterator over the objects (sorted by key in an ordered_set). Each step checks
   * the read right again, and writes during the walk are tolerated as documented.
   *
   * @example
   * for (const [id, taint] of taints.entries()) console.log(id, taint);
   */
  *entries(): IterableIterator<Entry<K, V>> {
    const walk = this._read('entries').store.walk();
    for (;;) {
      this._read('entries');
      const e = walk.next();
      if (e === undefined) return;
      yield e;
    }
  }

  /**
   * Gives the table to `to` (a live actor), which gets an `ets_transfer` info message
   * with a handle bound to it and `gift`. Only the owner may; its handles then have only
   * a non-owner's rights.
   *
   * @example
   * table.giveAway(worker, { reason: 'handover' });
   */
  giveAway(to: ActorRef, gift: unknown): void {
    const s = this._own('giveAway');
    checkReceiver(s, 'giveAway', to);
    transfer(s, to, gift);
  }

  /**
   * Sets (or, with null, clears) the heir: the actor that receives the table, with
   * `data` as the gift, when the owner exits. Only the owner may.
   *
   * @example
   * table.setHeir(keeper, 'restore');
   */
  setHeir(heir: ActorRef | null, data?: unknown): void {
    const s = this._own('setHeir');
    if (heir !== null) checkHeir('setHeir', 'heir', heir, 'null for none');
    s.heir = heir;
    s.heirData = data;
  }

  /**
   * Deletes the table (ETS's delete/1). Only the owner may; afterwards every handle
   * throws TableDeletedError and the name is free.
   *
   * @example
   * table.drop();
   */
  drop(): void {
    deleteTable(this._own('drop'));
  }
}
