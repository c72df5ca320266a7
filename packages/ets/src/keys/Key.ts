import { BadKeyError } from '../table/errors.js';
import { isKeyAt, MAX_KEY_DEPTH, MAX_KEY_ELEMENTS } from './showKey.js';

export { MAX_KEY_DEPTH, MAX_KEY_ELEMENTS };

/**
 * What a table key may be: a number (not NaN), a string, or an array (a tuple) of keys,
 * nested at most {@link MAX_KEY_DEPTH} arrays deep and holding at most
 * {@link MAX_KEY_ELEMENTS} elements in all. Keys compare in one total order
 * (see {@link compareKeys}).
 *
 * @example
 * const k: Key = ['worker', 7];
 */
export type Key = number | string | readonly Key[];

/**
 * The total order of keys: every number before every string before every array.
 * Numbers compare by value (`-0` equals `0`, `-Infinity` and `Infinity` are allowed),
 * strings by UTF-16 code units (as `<` does), arrays element by element, a shorter prefix
 * first (Erlang's list order). Returns -1, 0 or 1. NaN is not a key, so it has no place in
 * the order: `compareKeys(NaN, 1)` throws BadKeyError, as does any other non-key.
 *
 * @example
 * compareKeys(2, 'a');          // -1: numbers first
 * compareKeys(['a', 1], ['a']); // 1: a prefix comes first
 */
export function compareKeys(a: Key, b: Key): number {
  if (!(typeof a === 'string' || (typeof a === 'number' && a === a)) && !isKeyAt(a, 0)) throw new BadKeyError('', 'compareKeys: first argument', a);
  if (!(typeof b === 'string' || (typeof b === 'number' && b === b)) && !isKeyAt(b, 0)) throw new BadKeyError('', 'compareKeys: second argument', b);
  return orderKeys(a, b);
}

/** {@link compareKeys} on keys already checked (the ordered_set's tree compares with it). @internal */
export function orderKeys(a: Key, b: Key): number {
  if (typeof a === 'number') {
    if (typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
    return -1;
  }
  if (typeof a === 'string') {
    if (typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
    return typeof b === 'number' ? 1 : -1;
  }
  if (typeof b !== 'object') return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = orderKeys(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * True if `key` is a valid {@link Key} (checked deeply for arrays); false for anything
 * else, including NaN, an array nested deeper than {@link MAX_KEY_DEPTH}, one holding more
 * than {@link MAX_KEY_ELEMENTS} elements in all, and an array that contains itself. It never throws.
 *
 * @example
 * isKey(['w', 1]); // true
 * isKey(NaN);      // false
 */
export function isKey(key: unknown): key is Key {
  return isKeyAt(key, 0);
}

/** Throws {@link BadKeyError} unless `key` is a valid key. @internal */
export function checkKey(table: string, op: string, key: unknown): void {
  if (typeof key === 'string' || (typeof key === 'number' && key === key)) return;
  if (!isKeyAt(key, 0)) throw new BadKeyError(table, op, key);
}

/**
 * A canonical string of an array key, equal for arrays that compare equal: the hash
 * tables index array keys by it. @internal
 */
export function encodeKey(key: Key): string {
  if (typeof key === 'number') return key === 0 ? '0' : String(key);
  if (typeof key === 'string') return JSON.stringify(key);
  let s = '[';
  for (let i = 0; i < key.length; i++) s += (i === 0 ? '' : ',') + encodeKey(key[i]!);
  return s + ']';
}
