import { checkKey, type Key } from '../keys/Key.js';
import { CounterError } from './errors.js';
import type { Entry, UniqueStore } from './Store.js';
import { Table } from './Table.js';

/**
 * One step of `updateCounter` (ETS's `{Pos, Incr, Threshold, SetValue}` on a number
 * value): add `incr`; if `threshold` is given and the result passes it (above it for
 * `incr >= 0`, below it for `incr < 0`), the counter becomes `setValue` instead.
 *
 * @example
 * table.updateCounter('slot', { incr: 1, threshold: 9, setValue: 0 }); // 0..9, wraps
 */
export interface CounterOp {
  readonly incr: number;
  readonly threshold?: number;
  readonly setValue?: number;
}

/**
 * A `set` (or, through {@link OrderedTable}, an `ordered_set`): one value per key.
 *
 * @example
 * const hits = Ets.create<string, number>(this, { type: 'set' });
 * hits.insert('a', 1);
 * hits.lookup('a'); // 1
 */
export class SetTable<K extends Key, V> extends Table<K, V> {
  /**
   * The value under `key`, or undefined. Costs an access check and a `Map.get` (a tree
   * search in an ordered_set).
   *
   * @example
   * const n = hits.lookup('a') ?? 0;
   */
  lookup(key: K): V | undefined {
    const s = this._s;
    if (s.readMode !== 0 && (s.readMode === 2 || s.owner !== this._me)) this._refuse('lookup');
    const map = s.map;
    if (map !== null && (typeof key === 'string' || (typeof key === 'number' && key === key))) return map.get(key);
    checkKey(s.label, 'lookup', key);
    return (s.store as UniqueStore<K, V>).get(key);
  }

  /**
   * Sets `key` to `value`, replacing any value it had.
   *
   * @example
   * hits.insert('a', 2);
   */
  insert(key: K, value: V): void {
    const s = this._s;
    if (s.writeMode !== 0 && (s.writeMode === 2 || s.owner !== this._me)) this._refuse('insert');
    const map = s.map;
    if (map !== null && (typeof key === 'string' || (typeof key === 'number' && key === key))) {
      map.set(key, value);
      return;
    }
    checkKey(s.label, 'insert', key);
    (s.store as UniqueStore<K, V>).put(key, value, false);
  }

  /**
   * Inserts every entry, all or none (every key is checked first); a later entry with the
   * same key wins.
   *
   * @example
   * hits.insertMany([['a', 1], ['b', 2]]);
   */
  insertMany(entries: readonly Entry<K, V>[]): void {
    const s = this._write('insertMany');
    for (const [k] of entries) checkKey(s.label, 'insertMany', k);
    const store = s.store as UniqueStore<K, V>;
    for (const [k, v] of entries) store.put(k, v, false);
  }

  /**
   * Inserts `value` under `key` unless the key is present; true if it did.
   *
   * @example
   * if (locks.insertNew(resource, self.id)) doWork();
   */
  insertNew(key: K, value: V): boolean {
    const s = this._write('insertNew');
    checkKey(s.label, 'insertNew', key);
    return (s.store as UniqueStore<K, V>).put(key, value, true);
  }

  /**
   * Inserts every entry only if none of their keys is present: all or none, as ETS's
   * insert_new with a list (a later entry with the same key wins). True if it inserted.
   *
   * @example
   * table.insertNewMany([['a', 1], ['b', 2]]);
   */
  insertNewMany(entries: readonly Entry<K, V>[]): boolean {
    const s = this._write('insertNewMany');
    const store = s.store as UniqueStore<K, V>;
    for (const [k] of entries) {
      checkKey(s.label, 'insertNewMany', k);
      if (store.has(k)) return false;
    }
    for (const [k, v] of entries) store.put(k, v, false);
    return true;
  }

  /**
   * Removes the object under `key` and returns its value (undefined if none).
   *
   * @example
   * const job = queue.take(id);
   */
  take(key: K): V | undefined {
    const s = this._write('take');
    checkKey(s.label, 'take', key);
    const store = s.store as UniqueStore<K, V>;
    const v = store.get(key);
    if (v !== undefined || store.has(key)) store.remove(key);
    return v;
  }

  /**
   * Adds to the number under `key` and returns the new value, in one synchronous step
   * (no other code runs in between, so it is atomic). `op` is an increment or a
   * {@link CounterOp} with a threshold and a wrap value. A missing key takes `initial`
   * first; without `initial` it throws CounterError, as does a value that is not a number.
   *
   * @example
   * hits.updateCounter('a', 1, 0);                                  // count from 0
   * slots.updateCounter('next', { incr: 1, threshold: 3, setValue: 0 }); // 0,1,2,3,0,...
   */
  updateCounter(this: SetTable<K, number>, key: K, op: number | CounterOp, initial?: number): number {
    const s = this._write('updateCounter');
    checkKey(s.label, 'updateCounter', key);
    const { incr, threshold, setValue } = typeof op === 'number' ? { incr: op, threshold: undefined, setValue: undefined } : op;
    if (typeof incr !== 'number' || !Number.isFinite(incr)) throw new CounterError(s.label, key, `the increment must be a finite number, got ${String(incr)}`);
    if (threshold !== undefined && typeof setValue !== 'number') throw new CounterError(s.label, key, 'a threshold needs a setValue (the value the counter wraps to)');
    const store = s.store as UniqueStore<K, number>;
    let current = store.get(key);
    if (current === undefined) {
      if (initial === undefined) throw new CounterError(s.label, key, 'no value under this key; pass a default as the third argument');
      current = initial;
    }
    if (typeof current !== 'number') throw new CounterError(s.label, key, `the value is not a number (${typeof current})`);
    let next = current + incr;
    if (threshold !== undefined && (incr >= 0 ? next > threshold : next < threshold)) next = setValue!;
    store.put(key, next, false);
    return next;
  }
}
