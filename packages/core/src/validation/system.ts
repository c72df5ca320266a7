import { InvalidOptionError } from '../errors/errors.js';
import { ActorSystem } from '../system/ActorSystem.js';

/**
 * The rule for a system argument: an {@link ActorSystem} from `createSystem()` or
 * `defaultSystem()`. Throws `InvalidOptionError`. @internal
 *
 * @example
 * checkSystem('Registry.named: system', system);
 */
export function checkSystem(option: string, value: unknown): ActorSystem {
  if (value instanceof ActorSystem) return value;
  throw new InvalidOptionError(option, 'an ActorSystem from createSystem() or defaultSystem()', value);
}
