import { InvalidOptionError } from '../errors/errors.js';

/**
 * The longest delay a Node timer honours: 2^31 - 1 ms, about 24.8 days. A longer
 * `setTimeout` fires after 1 ms, so every Arbor timeout is checked against it.
 *
 * @example
 * checkTimeout('options.timeout', MAX_TIMER_MS + 1); // throws InvalidOptionError
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The default timeout of calls and system requests, in milliseconds. @internal */
export const DEFAULT_TIMEOUT = 5000;

const FOREVER = `a number of milliseconds from 0 to ${MAX_TIMER_MS}, or Infinity to wait forever`;
const FINITE = `a number of milliseconds from 0 to ${MAX_TIMER_MS}`;

/**
 * The one rule for a timeout in milliseconds: a number from 0 to {@link MAX_TIMER_MS},
 * or `Infinity` where the caller means "forever" (`infinity: true`, the default).
 * Returns the value; throws `InvalidOptionError` naming `option` otherwise (NaN, negative,
 * a string, or a finite value Node's timers would fire at once).
 *
 * @example
 * const ms = checkTimeout('options.timeout', options.timeout);          // 0..2^31-1 or Infinity
 * const delay = checkTimeout('ms', ms, { infinity: false });            // 0..2^31-1 only
 */
export function checkTimeout(option: string, value: unknown, rule?: { readonly infinity?: boolean; readonly or?: string }): number {
  if (typeof value === 'number' && value >= 0 && (value <= MAX_TIMER_MS || (value === Infinity && rule?.infinity !== false))) return value;
  const expected = rule?.infinity === false ? FINITE : FOREVER;
  throw new InvalidOptionError(option, rule?.or === undefined ? expected : `${expected}, or ${rule.or}`, value);
}

/**
 * `options.timeout` under the timeout rule, or `fallback` when `options` or its
 * `timeout` is undefined. Options that are not an object (`5`, `null`, `'x'`) are
 * refused with `InvalidOptionError`, so a call never waits on a misread timeout.
 * Cheap enough for every call: two comparisons when no options are given. @internal
 *
 * @example
 * const timeout = timeoutOf(options); // 5000 by default
 */
export function timeoutOf(options: { readonly timeout?: number } | undefined, fallback: number = DEFAULT_TIMEOUT): number {
  if (options === undefined) return fallback;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new InvalidOptionError('options', 'an object { timeout? } or undefined', options);
  const timeout = options.timeout;
  return timeout === undefined ? fallback : checkTimeout('options.timeout', timeout);
}
