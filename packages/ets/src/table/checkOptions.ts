import { checkKnownKeys, ActorSystem, InvalidOptionError } from '@arbor/core';

// Core's rule for unknown option keys (closest known key named), shared with this package's callers.
export { checkKnownKeys };

/**
 * The small checks the package's public entry points share: an options object with only
 * known keys (naming the closest one on a typo), a function argument, an ActorSystem. @internal
 */

/** Throws InvalidOptionError unless `options` is a plain object (not an array, not a function). */
export function checkOptionsObject(op: string, options: unknown, expected: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidOptionError(op, expected, options);
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
