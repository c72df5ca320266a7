import { InvalidOptionError } from '../errors/errors.js';
import { closestKey } from './closestKey.js';

/**
 * Refuses an options object with a key outside `known`, naming the closest known key
 * ("did you mean shutdown?"), so a typo is an error at the call instead of a silently
 * ignored option. For behaviour kinds and libraries built on core, as for core itself.
 *
 * @example
 * checkKnownKeys('Pool.start', options, ['size', 'overflow']); // { sise: 4 } throws: option "sise" must be one of size, overflow (did you mean size?)
 */
export function checkKnownKeys(op: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidOptionError(`${op}: options`, `an object with keys among ${known.join(', ')}, or undefined`, options);
  for (const key in options) {
    if (known.includes(key)) continue;
    const near = closestKey(key, known);
    throw new InvalidOptionError(`${op}: option ${JSON.stringify(key)}`, `one of ${known.join(', ')}${near === undefined ? '' : ` (did you mean ${near}?)`}`, (options as Record<string, unknown>)[key]);
  }
}
