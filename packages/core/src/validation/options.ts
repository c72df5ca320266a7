import { InvalidOptionError } from '../errors/errors.js';

/**
 * The rule for an options argument: undefined (all defaults) or a plain object. Anything
 * else (`5`, `null`, `'x'`, an array, a function) is refused with `InvalidOptionError`
 * naming `option` and the expected shape, before any field is read. @internal
 *
 * @example
 * checkOptions('options', options, '{ name?, mailbox?, trapExit? }');
 */
export function checkOptions<T extends object>(option: string, value: T | undefined, shape: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(option, `an object ${shape} or undefined`, value);
  }
  return value;
}
