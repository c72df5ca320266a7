import type { Key } from '../keys/Key.js';

/**
 * One object of a table: its key and its value.
 *
 * @example
 * for (const [key, value] of table.entries()) console.log(key, value);
 */
export type Entry<K extends Key, V> = readonly [key: K, value: V];

/**
 * A live walk over a store: `next()` gives the next object, or undefined at the end.
 * Writes made during the walk are tolerated (see docs/ets.md, "Traversal"). @internal
 */
export interface Traversal<K extends Key, V> {
  next(): Entry<K, V> | undefined;
}

/** What every store does. @internal */
export interface Store<K extends Key, V> {
  /** Objects held. */
  readonly size: number;
  /** Removes every object. */
  clear(): void;
  /** True if some object has `key`. */
  has(key: K): boolean;
  /** Removes every object under `key`; true if there was one. */
  remove(key: K): boolean;
  /** Removes the objects under `key` equal to `value`; how many went. */
  removeObject(key: K, value: V): number;
  /** A live walk from the first object. */
  walk(): Traversal<K, V>;
  /** Estimated bytes of the structure itself (not of the keys and values). */
  overheadBytes(): number;
}

/** A store with one value per key (set, ordered_set). @internal */
export interface UniqueStore<K extends Key, V> extends Store<K, V> {
  get(key: K): V | undefined;
  /** Sets `key` to `value`; with `onlyNew`, leaves an existing key alone. True if the key was new. */
  put(key: K, value: V, onlyNew: boolean): boolean;
}
