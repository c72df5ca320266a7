import { checkKey, type Key } from '../keys/Key.js';
import { showKey } from '../keys/showKey.js';
import { entryList } from './checkOptions.js';
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
   * same key wins. `entries` is an array of `[key, value]` pairs, or another iterable of
   * them (a Map, a generator: read once).
   *
   * @example
   * hits.insertMany([['a', 1], ['b', 2]]);
   */
  insertMany(entries: Iterable<Entry<K, V>>): void {
    const s = this._write('insertMany');
    entries = entryList<Entry<K, V>>(`insertMany on ${s.label}`, entries);
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
  insertNewMany(entries: Iterable<Entry<K, V>>): boolean {
    const s = this._write('insertNewMany');
    entries = entryList<Entry<K, V>>(`insertNewMany on ${s.label}`, entries);
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
   * A counter stays within ±`Number.MAX_SAFE_INTEGER` (2^53 - 1), where every integer is
   * exact: a step whose result would pass it throws CounterError and leaves the value as
   * it was (wrap it with a threshold instead).
   *
   * @example
   * hits.updateCounter('a', 1, 0);                                  // count from 0
   * slots.updateCounter('next', { incr: 1, threshold: 3, setValue: 0 }); // 0,1,2,3,0,...
   */
  updateCounter(this: SetTable<K, number>, key: K, op: number | CounterOp, initial?: number): number {
    const s = this._write('updateCounter');
    checkKey(s.label, 'updateCounter', key);
    if (typeof op !== 'number' && (op === null || typeof op !== 'object')) {
      throw new CounterError(s.label, key, `the operation must be an increment (a number) or { incr, threshold?, setValue? }, got ${showKey(op)}`);
    }
    const { incr, threshold, setValue } = typeof op === 'number' ? { incr: op, threshold: undefined, setValue: undefined } : op;
    if (typeof incr !== 'number' || !Number.isFinite(incr)) throw new CounterError(s.label, key, `the increment must be a finite number, got ${showKey(incr)}`);
    if (threshold !== undefined && (typeof threshold !== 'number' || threshold !== threshold)) throw new CounterError(s.label, key, `the threshold must be a number, got ${showKey(threshold)}`);
    if (threshold !== undefined && !isSafe(setValue)) {
      throw new CounterError(s.label, key, `a threshold needs a setValue (the value the counter wraps to, a number within ±Number.MAX_SAFE_INTEGER), got ${showKey(setValue)}`);
    }
    if (initial !== undefined && !isSafe(initial)) throw new CounterError(s.label, key, `the default must be a number within ±Number.MAX_SAFE_INTEGER, got ${showKey(initial)}`);
    const store = s.store as UniqueStore<K, number>;
    let current = store.get(key);
    if (current === undefined) {
      if (initial === undefined) throw new CounterError(s.label, key, 'no value under this key; pass a default as the third argument');
      current = initial;
    }
    if (typeof current !== 'number') throw new CounterError(s.label, key, `the value is not a number (${typeof current})`);
    let next = current + incr;
    if (threshold !== undefined && (incr >= 0 ? next > threshold : next < threshold)) next = setValue!;
    if (!isSafe(next)) {
      throw new CounterError(
        s.label,
        key,
        `${showKey(current)} + ${showKey(incr)} passes ±Number.MAX_SAFE_INTEGER (2^53 - 1), past which numbers lose integer precision; the value is unchanged: wrap the counter with { incr, threshold, setValue }, or keep it smaller`,
      );
    }
    store.put(key, next, false);
    return next;
  }
}

/** A number a counter may hold: within ±Number.MAX_SAFE_INTEGER (so not NaN, not infinite). */
function isSafe(n: unknown): n is number {
  return typeof n === 'number' && n <= Number.MAX_SAFE_INTEGER && n >= -Number.MAX_SAFE_INTEGER;
}
