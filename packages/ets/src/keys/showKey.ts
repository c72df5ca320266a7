/**
 * Key validation and key text for error messages, kept apart from the errors so that
 * both the key module and the error classes can use them. @internal
 */

/**
 * How deep array keys may nest: `[[['a']]]` is 3 deep. A deeper key (or an array that
 * contains itself, which is infinitely deep) is not a key, so every walk over a key
 * (validation, hashing, comparison) stays far from the stack limit.
 *
 * @example
 * isKey([[['a']]]); // true: 3 <= MAX_KEY_DEPTH
 */
export const MAX_KEY_DEPTH = 100;

/**
 * How many array elements a key may hold in all, counting every element of every nested
 * array (a shared sub-array counts each time it appears). A key built as
 * `k = [k, k]` 40 times is only 40 deep but 2^40 elements: walking it (validation, hashing)
 * would never end, so it is not a key.
 *
 * @example
 * isKey(new Array(MAX_KEY_ELEMENTS + 1).fill(0)); // false: too many elements
 */
export const MAX_KEY_ELEMENTS = 100_000;

/**
 * True if `key` is a key no deeper than {@link MAX_KEY_DEPTH} arrays (`depth` arrays already
 * entered) and holding at most {@link MAX_KEY_ELEMENTS} elements in all.
 */
export function isKeyAt(key: unknown, depth: number): boolean {
  if (typeof key === 'string') return true;
  if (typeof key === 'number') return key === key;
  return walkKey(key, depth, MAX_KEY_ELEMENTS) >= 0;
}

/** Checks `key` with `left` elements still allowed: the elements left after it, or -1 if it is not a key. */
function walkKey(key: unknown, depth: number, left: number): number {
  if (typeof key === 'string') return left;
  if (typeof key === 'number') return key === key ? left : -1;
  if (!Array.isArray(key) || depth >= MAX_KEY_DEPTH) return -1;
  left -= key.length;
  for (let i = 0; i < key.length && left >= 0; i++) left = walkKey(key[i], depth + 1, left);
  return left;
}

/** True if `key` is an array holding more than {@link MAX_KEY_ELEMENTS} elements in all (nested ones included). */
export function tooManyElements(key: unknown): boolean {
  return Array.isArray(key) && countLeft(key, 0, MAX_KEY_ELEMENTS) < 0;
}

function countLeft(arr: readonly unknown[], depth: number, left: number): number {
  left -= arr.length;
  if (depth >= MAX_KEY_DEPTH) return left;
  for (let i = 0; i < arr.length && left >= 0; i++) {
    const v = arr[i];
    if (Array.isArray(v)) left = countLeft(v, depth + 1, left);
  }
  return left;
}

/** True if `key` is an array that nests past {@link MAX_KEY_DEPTH} (or contains itself). */
export function tooDeep(key: unknown): boolean {
  // `level` holds the arrays `depth` levels down (the key itself is level 1).
  let level: unknown[] = Array.isArray(key) ? [key] : [];
  for (let depth = 1; level.length > 0; depth++) {
    if (depth > MAX_KEY_DEPTH) return true;
    const next: unknown[] = [];
    for (const v of level) for (let i = 0; i < (v as unknown[]).length && next.length < 10_000; i++) if (Array.isArray((v as unknown[])[i])) next.push((v as unknown[])[i]);
    level = next;
  }
  return false;
}

const MAX_SHOWN_DEPTH = 4;
const MAX_SHOWN_ITEMS = 8;

/**
 * A value as a key reads in an error message: numbers as JS writes them (`NaN`, `-0`,
 * `Infinity`), strings quoted, arrays as `[1,NaN]` (cut short when long, deep or
 * cyclic), anything else by its kind (`undefined`, `true (boolean)`, `an object`).
 */
export function showKey(value: unknown): string {
  return show(value, 0, new Set());
}

function show(value: unknown, depth: number, seen: Set<unknown>): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (Array.isArray(value)) {
    if (seen.has(value)) return '[<itself>]';
    if (depth >= MAX_SHOWN_DEPTH) return '[…]';
    seen.add(value);
    const parts: string[] = [];
    for (let i = 0; i < value.length && i < MAX_SHOWN_ITEMS; i++) parts.push(show(value[i], depth + 1, seen));
    if (value.length > MAX_SHOWN_ITEMS) parts.push(`… ${value.length - MAX_SHOWN_ITEMS} more`);
    seen.delete(value);
    return `[${parts.join(',')}]`;
  }
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') {
    let ctor: unknown;
    try {
      ctor = (value as object).constructor?.name;
    } catch {
      ctor = undefined;
    }
    return typeof ctor === 'string' && ctor !== '' && ctor !== 'Object' ? `an instance of ${ctor}` : 'an object';
  }
  return `${String(value)} (${typeof value})`;
}

