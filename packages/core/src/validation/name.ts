import { InvalidOptionError } from '../errors/errors.js';

/**
 * The rule for a local name: a non-empty string. Throws `InvalidOptionError`. @internal
 *
 * @example
 * checkLocalName('register: name', name);
 */
export function checkLocalName(option: string, value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new InvalidOptionError(option, 'a non-empty string', value);
}
