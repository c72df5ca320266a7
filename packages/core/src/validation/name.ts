import { InvalidOptionError } from '../errors/errors.js';
import { isViaName, type ViaName } from '../names/NameProvider.js';

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

/**
 * The rule for a name to look up or register: a non-empty local name or `via(registry, key)`.
 * Throws `InvalidOptionError`. @internal
 *
 * @example
 * checkName('whereis: name', name);
 */
export function checkName(option: string, value: unknown): string | ViaName {
  if ((typeof value === 'string' && value !== '') || isViaName(value)) return value;
  throw new InvalidOptionError(option, 'a non-empty string or via(registry, key)', value);
}
