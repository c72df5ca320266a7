import { checkKnownKeys, InvalidOptionError } from '@arbor/core';

// Core's rule for unknown option keys (closest known key named), shared with this package's callers.
export { checkKnownKeys };

/**
 * The argument checks the package's entry points share: an options object with only
 * known keys (naming the closest one on a typo), an event, call options. @internal
 */

/** Throws InvalidOptionError unless `options` is a plain object (not null, an array or a function). */
export function checkObject(op: string, options: unknown, expected: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidOptionError(op, expected, options);
}

/**
 * Throws InvalidOptionError unless `event` is an xstate event: an object with a string
 * `type`. Checked before the event is queued, so a bad one never reaches (and crashes) the machine.
 */
export function checkEvent(op: string, event: unknown): void {
  if (event !== null && typeof event === 'object' && typeof (event as { type?: unknown }).type === 'string') return;
  const got = event !== null && typeof event === 'object' ? (event as { type?: unknown }).type : event;
  throw new InvalidOptionError(
    event !== null && typeof event === 'object' ? `${op}: event.type` : `${op}: event`,
    "an event object with a string type, such as { type: 'TIMER' }",
    got,
  );
}

/** Throws InvalidOptionError unless call `options` are undefined or `{ timeout? }` (the timeout's value is core's call to check). */
export function checkCallOptions(op: string, options: unknown): void {
  if (options === undefined) return;
  checkObject(`${op}: options`, options, '{ timeout? } or undefined');
  checkKnownKeys(op, options as object, ['timeout']);
}

