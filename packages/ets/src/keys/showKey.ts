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

/** True if `key` is a key no deeper than {@link MAX_KEY_DEPTH} arrays (`depth` arrays already entered). */
export function isKeyAt(key: unknown, depth: number): boolean {
  if (typeof key === 'string') return true;
  if (typeof key === 'number') return key === key;
  if (!Array.isArray(key) || depth >= MAX_KEY_DEPTH) return false;
  for (let i = 0; i < key.length; i++) if (!isKeyAt(key[i], depth + 1)) return false;
  return true;
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

