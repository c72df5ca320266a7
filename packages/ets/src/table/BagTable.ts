import { checkKey, type Key } from '../keys/Key.js';
import type { BagStore } from './BagStore.js';
import { entryList } from './checkOptions.js';
import type { Entry } from './Store.js';
import { Table } from './Table.js';

/**
 * A `bag` (many values per key, no two equal ones) or a `duplicate_bag` (equal values
 * allowed). Values are compared structurally (docs/ets.md).
 *
 * @example
 * const subs = Ets.create<string, string>(this, { type: 'bag', access: 'public' });
 * subs.insert('topic', 'a'); subs.insert('topic', 'b');
 * subs.lookup('topic'); // ['a', 'b']
 */
export class BagTable<K extends Key, V> extends Table<K, V> {
  /** The values under `key`, oldest first (a fresh array; empty when none). */
  lookup(key: K): V[] {
    const s = this._read('lookup');
    checkKey(s.label, 'lookup', key);
    const vals = (s.store as BagStore<K, V>).values(key);
    return vals === undefined ? [] : vals.slice();
  }

  /**
   * Adds the object (a bag ignores one equal to an object already under the key).
   *
   * @example
   * subs.insert('topic', 'c');
   */
  insert(key: K, value: V): void {
    const s = this._write('insert');
    checkKey(s.label, 'insert', key);
    (s.store as BagStore<K, V>).add(key, value, false);
  }

  /**
   * Adds every entry (keys checked first: all or none); `entries` is an array of
   * `[key, value]` pairs or another iterable of them (read once).
   *
   * @example
   * subs.insertMany([['topic', 'a'], ['topic', 'b']]);
   */
  insertMany(entries: Iterable<Entry<K, V>>): void {
    const s = this._write('insertMany');
    entries = entryList<Entry<K, V>>(`insertMany on ${s.label}`, entries);
    for (const [k] of entries) checkKey(s.label, 'insertMany', k);
    const store = s.store as BagStore<K, V>;
    for (const [k, v] of entries) store.add(k, v, false);
  }

  /**
   * Adds the object only if no object has `key`; true if it did.
   *
   * @example
   * subs.insertNew('topic', 'first');
   */
  insertNew(key: K, value: V): boolean {
    const s = this._write('insertNew');
    checkKey(s.label, 'insertNew', key);
    return (s.store as BagStore<K, V>).add(key, value, true);
  }

  /**
   * Removes every object under `key` and returns their values (empty when none).
   *
   * @example
   * const pending = inbox.take(userId);
   */
  take(key: K): V[] {
    const s = this._write('take');
    checkKey(s.label, 'take', key);
    const store = s.store as BagStore<K, V>;
    const vals = store.values(key);
    if (vals === undefined) return [];
    const out = vals.slice();
    store.remove(key);
    return out;
  }
}
