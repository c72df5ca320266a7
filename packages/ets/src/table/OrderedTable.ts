import { InvalidOptionError } from '@arbor/core';
import { checkKey, type Key } from '../keys/Key.js';
import { checkKnownKeys, checkOptionsObject } from './checkOptions.js';
import type { OrderedStore } from './OrderedStore.js';
import { SetTable } from './SetTable.js';
import type { Entry } from './Store.js';

/**
 * Bounds of a range query: `from`/`to` (inclusive by default), and a limit.
 *
 * @example
 * t.range({ from: 10, to: 20, toExclusive: true, limit: 5 });
 */
export interface RangeOptions<K> {
  readonly from?: K;
  readonly to?: K;
  /** Leave `from` out of the range. */
  readonly fromExclusive?: boolean;
  /** Leave `to` out of the range. */
  readonly toExclusive?: boolean;
  /** At most this many objects: a non-negative integer, or Infinity (the default). */
  readonly limit?: number;
}

const RANGE_KEYS: readonly string[] = ['from', 'to', 'fromExclusive', 'toExclusive', 'limit'];

/**
 * An `ordered_set`: one value per key, sorted by key in a B+ tree (insert, delete and
 * seek O(log n)); `first`/`last`/`next`/`prev` and range queries.
 *
 * @example
 * const events = Ets.create<[number, string], Ev>(this, { type: 'ordered_set' });
 * events.range({ from: [t0, ''], to: [t1, '\uffff'] });
 */
export class OrderedTable<K extends Key, V> extends SetTable<K, V> {
  #tree(op: string): OrderedStore<K, V> {
    return this._read(op).store as OrderedStore<K, V>;
  }

  /** The smallest key, or undefined when empty. */
  first(): K | undefined {
    const t = this.#tree('first').tree;
    const c = t.first();
    return c.leaf === null ? undefined : c.leaf.keys[c.index];
  }

  /** The largest key, or undefined when empty. */
  last(): K | undefined {
    const t = this.#tree('last').tree;
    const c = t.last();
    return c.leaf === null ? undefined : c.leaf.keys[c.index];
  }

  /**
   * The smallest key greater than `key` (which need not be in the table), or undefined.
   *
   * @example
   * for (let k = t.first(); k !== undefined; k = t.next(k)) visit(k);
   */
  next(key: K): K | undefined {
    const store = this.#tree('next');
    checkKey(this._s.label, 'next', key);
    const c = store.tree.seek(key, true);
    return c.leaf === null ? undefined : c.leaf.keys[c.index];
  }

  /** The largest key smaller than `key` (which need not be in the table), or undefined. */
  prev(key: K): K | undefined {
    const store = this.#tree('prev');
    checkKey(this._s.label, 'prev', key);
    const c = store.tree.seekBack(key, true);
    return c.leaf === null ? undefined : c.leaf.keys[c.index];
  }

  /**
   * The objects with keys in `[from, to]`, in key order: O(log n + results). `options`
   * is an object with only the {@link RangeOptions} keys (InvalidOptionError otherwise).
   *
   * @example
   * scores.range({ from: 10, to: 20, limit: 100 });
   */
  range(options: RangeOptions<K> = {}): Entry<K, V>[] {
    const store = this.#tree('range');
    checkOptionsObject('range: options', options, '{ from?, to?, fromExclusive?, toExclusive?, limit? } or undefined');
    checkKnownKeys('range', options, RANGE_KEYS);
    const { from, to, limit = Infinity } = options;
    if (limit !== Infinity && (!Number.isInteger(limit) || limit < 0)) throw new InvalidOptionError('range: limit', 'a non-negative integer (or Infinity, the default)', limit);
    if (options.fromExclusive !== undefined && typeof options.fromExclusive !== 'boolean') throw new InvalidOptionError('range: fromExclusive', 'a boolean', options.fromExclusive);
    if (options.toExclusive !== undefined && typeof options.toExclusive !== 'boolean') throw new InvalidOptionError('range: toExclusive', 'a boolean', options.toExclusive);
    if (from !== undefined) checkKey(this._s.label, 'range', from);
    if (to !== undefined) checkKey(this._s.label, 'range', to);
    const tree = store.tree;
    const cur = from === undefined ? tree.first() : tree.seek(from, options.fromExclusive === true);
    const out: Entry<K, V>[] = [];
    const cmp = tree.compare;
    const toEx = options.toExclusive === true;
    while (cur.leaf !== null && out.length < limit) {
      const k = cur.leaf.keys[cur.index]!;
      if (to !== undefined) {
        const c = cmp(k, to);
        if (c > 0 || (c === 0 && toEx)) break;
      }
      out.push([k, cur.leaf.vals[cur.index]!]);
      tree.step(cur);
    }
    return out;
  }
}
