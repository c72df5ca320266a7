import { InvalidOptionError } from '../errors/errors.js';

/**
 * The rule for a function argument (a callback, a task, a state updater): it must be a
 * function; otherwise `InvalidOptionError` naming `option` and the expected signature. @internal
 *
 * @example
 * checkFunction('Agent.update: fn', fn, 'a function (state) => newState');
 */
export function checkFunction<F extends Function>(option: string, value: F, signature: string): F {
  if (typeof value !== 'function') throw new InvalidOptionError(option, signature, value);
  return value;
}
