import type { Key } from '../keys/Key.js';
import { deepEqual } from './deepEqual.js';
import { KeyInterner } from './HashStore.js';
import type { Entry, Store, Traversal } from './Store.js';

/**
 * The store of a `bag` (no two equal objects under a key) or a `duplicate_bag` (any
 * number of them): the values of each key in insertion order. @internal
 */
export class BagStore<K extends Key, V> implements Store<K, V> {
  readonly #map = new Map<K, V[]>();
  readonly #arrays = new KeyInterner<K>();
  #size = 0;

  constructor(readonly duplicates: boolean) {}

  get size(): number {
    return this.#size;
  }

  #key(key: K): K | undefined {
    return typeof key === 'object' ? this.#arrays.find(key) : key;
  }

  /** The values under `key` (the live array: copy before handing out). */
  values(key: K): readonly V[] | undefined {
    const k = this.#key(key);
    return k === undefined ? undefined : this.#map.get(k);
  }

  has(key: K): boolean {
    const k = this.#key(key);
    return k !== undefined && this.#map.has(k);
  }

  /** Adds one object; false if a bag already holds an equal one. */
  add(key: K, value: V, onlyNewKey: boolean): boolean {
    const k = typeof key === 'object' ? this.#arrays.intern(key) : key;
    const vals = this.#map.get(k);
    if (vals === undefined) {
      this.#map.set(k, [value]);
      this.#size++;
      return true;
    }
    if (onlyNewKey) return false;
    if (!this.duplicates) for (const v of vals) if (deepEqual(v, value)) return false;
    vals.push(value);
    this.#size++;
    return true;
  }

  remove(key: K): boolean {
    const k = this.#key(key);
    if (k === undefined) return false;
    const vals = this.#map.get(k);
    if (vals === undefined) return false;
    this.#size -= vals.length;
    this.#map.delete(k);
    if (typeof k === 'object') this.#arrays.forget(k);
    return true;
  }

  removeObject(key: K, value: V): number {
    const k = this.#key(key);
    if (k === undefined) return 0;
    const vals = this.#map.get(k);
    if (vals === undefined) return 0;
    const kept = vals.filter((v) => !deepEqual(v, value));
    const gone = vals.length - kept.length;
    if (gone === 0) return 0;
    if (kept.length === 0) this.remove(k);
    else {
      this.#map.set(k, kept);
      this.#size -= gone;
    }
    return gone;
  }

  clear(): void {
    this.#map.clear();
    this.#arrays.clear();
    this.#size = 0;
  }

  walk(): Traversal<K, V> {
    const keys = this.#map.entries();
    let key: K | undefined;
    let vals: readonly V[] = [];
    let i = 0;
    return {
      next(): Entry<K, V> | undefined {
        while (i >= vals.length) {
          const r = keys.next();
          if (r.done === true) return undefined;
          key = r.value[0];
          // The key's objects as they are when the walk reaches it.
          vals = r.value[1].slice();
          i = 0;
        }
        return [key!, vals[i++]!];
      },
    };
  }

  overheadBytes(): number {
    return 64 + this.#map.size * 72 + this.#size * 8;
  }
}
