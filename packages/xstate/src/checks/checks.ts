import { InvalidOptionError } from '@arbor/core';

/**
 * The argument checks the package's entry points share: an options object with only
 * known keys (naming the closest one on a typo), an event, call options. @internal
 */

/** Throws InvalidOptionError unless `options` is a plain object (not null, an array or a function). */
export function checkObject(op: string, options: unknown, expected: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidOptionError(op, expected, options);
}

/** Throws InvalidOptionError for the first key of `options` that is not in `known`. */
export function checkKnownKeys(op: string, options: object, known: readonly string[]): void {
  for (const k in options) {
    if (known.includes(k)) continue;
    const near = closest(k, known);
    throw new InvalidOptionError(`${op}: option ${JSON.stringify(k)}`, `one of ${known.join(', ')}${near === undefined ? '' : ` (did you mean ${near}?)`}`, (options as Record<string, unknown>)[k]);
  }
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
