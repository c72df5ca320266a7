import { BadKeyError } from '../table/errors.js';

/**
 * What a table key may be: a number (not NaN), a string, or an array (a tuple) of keys.
 * Keys compare in one total order (see {@link compareKeys}).
 *
 * @example
 * const k: Key = ['worker', 7];
 */
export type Key = number | string | readonly Key[];

/**
 * The total order of keys: every number before every string before every array.
 * Numbers compare by value (`-0` equals `0`, `-Infinity` and `Infinity` are allowed,
 * NaN is not a key), strings by UTF-16 code units (as `<` does), arrays element by
 * element, a shorter prefix first (Erlang's list order). Returns -1, 0 or 1.
 *
 * @example
 * compareKeys(2, 'a');          // -1: numbers first
 * compareKeys(['a', 1], ['a']); // 1: a prefix comes first
 */
export function compareKeys(a: Key, b: Key): number {
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
    const c = compareKeys(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * True if `key` is a valid {@link Key} (checked deeply for arrays).
 *
 * @example
 * isKey(['w', 1]); // true
 * isKey(NaN);      // false
 */
export function isKey(key: unknown): key is Key {
  if (typeof key === 'string') return true;
  if (typeof key === 'number') return key === key;
  if (!Array.isArray(key)) return false;
  for (let i = 0; i < key.length; i++) if (!isKey(key[i])) return false;
  return true;
}

/** Throws {@link BadKeyError} unless `key` is a valid key. @internal */
export function checkKey(table: string, op: string, key: unknown): void {
  if (typeof key === 'string' || (typeof key === 'number' && key === key)) return;
  if (!isKey(key)) throw new BadKeyError(table, op, key);
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
