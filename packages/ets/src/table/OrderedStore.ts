import { orderKeys, type Key } from '../keys/Key.js';
import { BPlusTree, type Cursor } from '../ordered/BPlusTree.js';
import { deepEqual } from './deepEqual.js';
import type { Entry, Traversal, UniqueStore } from './Store.js';

/** The store of an `ordered_set`: a B+ tree ordered by compareKeys. @internal */
export class OrderedStore<K extends Key, V> implements UniqueStore<K, V> {
  readonly tree = new BPlusTree<K, V>(orderKeys);

  get size(): number {
    return this.tree.size;
  }

  get(key: K): V | undefined {
    return this.tree.get(key);
  }

  has(key: K): boolean {
    return this.tree.has(key);
  }

  put(key: K, value: V, onlyNew: boolean): boolean {
    return this.tree.set(key, value, onlyNew);
  }

  remove(key: K): boolean {
    return this.tree.delete(key);
  }

  removeObject(key: K, value: V): number {
    if (!this.tree.has(key) || !deepEqual(this.tree.get(key), value)) return 0;
    return this.tree.delete(key) ? 1 : 0;
  }

  clear(): void {
    this.tree.clear();
  }

  /**
   * A walk in key order. Between steps it keeps a cursor while the tree is unchanged and
   * otherwise seeks past the last key it gave, so writes during the walk are seen exactly
   * when they land ahead of it.
   */
  walk(): Traversal<K, V> {
    const tree = this.tree;
    let last: K | undefined;
    let cur: Cursor<K, V> | null = null;
    let mods = -1;
    return {
      next(): Entry<K, V> | undefined {
        if (cur === null || mods !== tree.mods) cur = last !== undefined ? tree.seek(last, true) : tree.first();
        else tree.step(cur);
        mods = tree.mods;
        const leaf = cur.leaf;
        if (leaf === null) return undefined;
        last = leaf.keys[cur.index]!;
        return [last, leaf.vals[cur.index]!];
      },
    };
  }

  overheadBytes(): number {
    return 64 + this.tree.size * 24;
  }
}
