import { ActorSystem, InvalidOptionError } from '@arbor/core';

/**
 * The small checks the package's public entry points share: an options object with only
 * known keys (naming the closest one on a typo), a function argument, an ActorSystem. @internal
 */

/** Throws InvalidOptionError unless `options` is a plain object (not an array, not a function). */
export function checkOptionsObject(op: string, options: unknown, expected: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidOptionError(op, expected, options);
}

/** Throws InvalidOptionError for the first own key of `options` that is not in `known`. */
export function checkKnownKeys(op: string, options: object, known: readonly string[]): void {
  for (const k in options) {
    if (known.includes(k)) continue;
    const near = closest(k, known);
    throw new InvalidOptionError(`${op}: option ${JSON.stringify(k)}`, `one of ${known.join(', ')}${near === undefined ? '' : ` (did you mean ${near}?)`}`, (options as Record<string, unknown>)[k]);
  }
}

/** Throws InvalidOptionError unless `fn` is a function (or undefined, when `optional`). */
export function checkFunction(op: string, fn: unknown, optional: boolean): void {
  if (typeof fn === 'function' || (optional && fn === undefined)) return;
  throw new InvalidOptionError(op, optional ? 'a function (key, value) => ... or undefined' : 'a function (key, value) => ...', fn);
}

/** Throws InvalidOptionError unless `system` is an ActorSystem. */
export function checkSystem(op: string, system: unknown): asserts system is ActorSystem {
  if (!(system instanceof ActorSystem)) throw new InvalidOptionError(op, 'an ActorSystem (createSystem() or defaultSystem() made it)', system);
}

/** The known key at the smallest edit distance (at most 2) from `k`, if any. */
function closest(k: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  const lower = k.toLowerCase();
  for (const c of known) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The entries of an insertMany as an array of checked `[key, value]` pairs: an array as
 * it is, another iterable (a Map, a generator) read once into one. Keys are checked by the caller.
 */
export function entryList<E>(op: string, entries: unknown): readonly E[] {
  let list: unknown[];
  if (Array.isArray(entries)) list = entries;
  else if (entries !== null && typeof entries === 'object' && typeof (entries as Iterable<unknown>)[Symbol.iterator] === 'function') list = Array.from(entries as Iterable<unknown>);
  else throw new InvalidOptionError(`${op}: entries`, 'an array (or another iterable, such as a Map) of [key, value] pairs', entries);
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (!Array.isArray(e) || e.length !== 2) throw new InvalidOptionError(`${op}: entries[${i}]`, 'a [key, value] pair', e);
  }
  return list as E[];
}
