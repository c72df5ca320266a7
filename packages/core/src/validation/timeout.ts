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

/**
 * How a timeout argument may differ from the default rule (any number of milliseconds
 * from 0 to {@link MAX_TIMER_MS}, or `Infinity` for "forever").
 *
 * @example
 * const rule: TimeoutRule = { integer: true, min: 1, or: "'infinity'" };
 */
export interface TimeoutRule {
  /** Whether `Infinity` (wait forever) is accepted. Default true. */
  readonly infinity?: boolean;
  /** Whether only whole milliseconds are accepted. Default false. */
  readonly integer?: boolean;
  /** The least value accepted. Default 0. */
  readonly min?: number;
  /** Whether `min` itself is refused (a value must be greater than it). Default false. */
  readonly aboveMin?: boolean;
  /** What else the caller accepts, for the message only (e.g. `"'brutal_kill'"`). */
  readonly or?: string;
  /** A remark for the message only, shown in parentheses at its end (e.g. `'default 30000'`). */
  readonly note?: string;
}

/**
 * True when `value` is a timeout under `rule` (see {@link checkTimeout}); for callers
 * that accept other values too (`'infinity'`, `'brutal_kill'`) or throw an error class of
 * their own.
 *
 * @example
 * if (shutdown !== 'brutal_kill' && !isTimeout(shutdown, { integer: true })) throw new InvalidShutdownError(id, shutdown);
 */
export function isTimeout(value: unknown, rule?: TimeoutRule): value is number {
  if (typeof value !== 'number') return false;
  if (value === Infinity) return rule?.infinity !== false;
  const min = rule?.min ?? 0;
  return (rule?.aboveMin === true ? value > min : value >= min) && value <= MAX_TIMER_MS && (rule?.integer !== true || Number.isInteger(value));
}

/**
 * What a timeout under `rule` must be, as the message text after "must be": the one
 * wording every Arbor timeout error uses.
 *
 * @example
 * timeoutExpected({ integer: true, min: 1 }); // "an integer number of milliseconds from 1 to 2147483647, or Infinity to wait forever"
 */
export function timeoutExpected(rule?: TimeoutRule): string {
  const min = rule?.min ?? 0;
  const range = rule?.aboveMin === true ? `greater than ${min} and at most ${MAX_TIMER_MS}` : `from ${min} to ${MAX_TIMER_MS}`;
  const forever = rule?.infinity === false ? '' : ', or Infinity to wait forever';
  const or = rule?.or === undefined ? '' : `, or ${rule.or}`;
  const note = rule?.note === undefined ? '' : ` (${rule.note})`;
  return `${rule?.integer === true ? 'an integer number' : 'a number'} of milliseconds ${range}${forever}${or}${note}`;
}

/**
 * The one rule for a timeout in milliseconds: a number from 0 to {@link MAX_TIMER_MS},
 * or `Infinity` where the caller means "forever" (`infinity: true`, the default); a
 * {@link TimeoutRule} narrows it (whole milliseconds, a minimum, no `Infinity`).
 * Returns the value; throws `InvalidOptionError` naming `option` otherwise (NaN, negative,
 * a string, or a finite value Node's timers would fire at once).
 *
 * @example
 * const ms = checkTimeout('options.timeout', options.timeout);          // 0..2^31-1 or Infinity
 * const delay = checkTimeout('ms', ms, { infinity: false });            // 0..2^31-1 only
 * const period = checkTimeout('period', p, { integer: true, min: 1, infinity: false });
 */
export function checkTimeout(option: string, value: unknown, rule?: TimeoutRule): number {
  if (isTimeout(value, rule)) return value;
  throw new InvalidOptionError(option, timeoutExpected(rule), value);
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
