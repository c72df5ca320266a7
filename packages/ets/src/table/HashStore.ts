import { encodeKey, type Key } from '../keys/Key.js';
import { deepEqual } from './deepEqual.js';
import type { Entry, Traversal, UniqueStore } from './Store.js';

/**
 * Array keys are interned: the first array inserted under an encoding is the Map key
 * every equal array resolves to, so a lookup costs one `Map.get` for number and string
 * keys and an encoding plus two for arrays. @internal
 */
export class KeyInterner<K extends Key> {
  #canon = new Map<string, K>();

  /** The interned array equal to `key`, or undefined. */
  find(key: K): K | undefined {
    return this.#canon.get(encodeKey(key));
  }

  /** The interned array equal to `key`, interning `key` itself if there is none. */
  intern(key: K): K {
    const code = encodeKey(key);
    const found = this.#canon.get(code);
    if (found !== undefined) return found;
    this.#canon.set(code, key);
    return key;
  }

  forget(key: K): void {
    this.#canon.delete(encodeKey(key));
  }

  clear(): void {
    this.#canon.clear();
  }
}

/** The store of a `set`: one value per key in a Map. @internal */
export class HashStore<K extends Key, V> implements UniqueStore<K, V> {
  readonly map = new Map<K, V>();
  readonly #arrays = new KeyInterner<K>();

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    if (typeof key !== 'object') return this.map.get(key);
    const k = this.#arrays.find(key);
    return k === undefined ? undefined : this.map.get(k);
  }

  has(key: K): boolean {
    if (typeof key !== 'object') return this.map.has(key);
    const k = this.#arrays.find(key);
    return k !== undefined && this.map.has(k);
  }

  put(key: K, value: V, onlyNew: boolean): boolean {
    const map = this.map;
    const k = typeof key === 'object' ? this.#arrays.intern(key) : key;
    const n = map.size;
    if (onlyNew && map.has(k)) return false;
    map.set(k, value);
    return map.size !== n;
  }

  remove(key: K): boolean {
    if (typeof key !== 'object') return this.map.delete(key);
    const k = this.#arrays.find(key);
    if (k === undefined) return false;
    this.#arrays.forget(k);
    return this.map.delete(k);
  }

  removeObject(key: K, value: V): number {
    const v = this.get(key);
    if (v === undefined && !this.has(key)) return 0;
    if (!deepEqual(v, value)) return 0;
    return this.remove(key) ? 1 : 0;
  }

  clear(): void {
    this.map.clear();
    this.#arrays.clear();
  }

  walk(): Traversal<K, V> {
    const it = this.map.entries();
    return {
      next(): Entry<K, V> | undefined {
        const r = it.next();
        return r.done === true ? undefined : r.value;
      },
    };
  }

  overheadBytes(): number {
    return 64 + this.map.size * 40;
  }
}
