import type { AnyBehaviour, BehaviourClass } from '../behaviour/Behaviour.js';
import { behaviourBrand } from '../kernel/index.js';
import { describe } from '../errors/ArborError.js';
import { InvalidBehaviourError } from '../errors/errors.js';

/** Input checks for spawning and for refs. @internal */

const HANDLERS = ['onInit', 'onCall', 'onCast', 'onInfo', 'onContinue', 'onTerminate', 'formatStatus'] as const;
/** Classes whose first instance passed `validateInstance`. */
const validClasses = new WeakSet<object>();

export function validateBehaviourClass(cls: unknown): asserts cls is BehaviourClass {
  if (typeof cls === 'function' && validClasses.has(cls)) return;
  if (typeof cls !== 'function' || !extendsBehaviour(cls)) {
    throw new InvalidBehaviourError(
      `expected a class that extends GenServer (or another Behaviour), got: ${describe(cls)}; write \`class MyActor extends GenServer<Protocol, State> { ... }\` and pass the class itself`,
    );
  }
}

/** Checks the first instance of a class: every handler is a method. Later instances are built alike. */
export function validateInstance(b: AnyBehaviour, cls: BehaviourClass): void {
  if (validClasses.has(cls)) return;
  validateHandlers(b, cls);
  validClasses.add(cls);
}

function validateHandlers(b: AnyBehaviour, cls: BehaviourClass): void {
  const callbacks = (cls as { callbacks?: unknown }).callbacks;
  const kindCallbacks = Array.isArray(callbacks) ? (callbacks as unknown[]).filter((k): k is string => typeof k === 'string') : [];
  for (const key of [...HANDLERS, ...kindCallbacks]) {
    const h = (b as unknown as Record<string, unknown>)[key];
    if (typeof h === 'function') continue;
    if (Object.hasOwn(b, key) && (HANDLERS as readonly string[]).includes(key)) {
      throw new InvalidBehaviourError(
        `${cls.name} has an instance field named ${key}, which hides the behaviour hook of that name; rename the field (or make it private: #${key})`,
      );
    }
    throw new InvalidBehaviourError(`${cls.name}.${key} must be a method, got: ${describe(h)}; define it as \`${key}(...) { ... }\``);
  }
}

/** True for a subclass of `Behaviour` (the brand is on `Behaviour.prototype`, an ancestor of the class's prototype). */
function extendsBehaviour(cls: Function): boolean {
  const proto: unknown = cls.prototype;
  if (typeof proto !== 'object' || proto === null) return false;
  const parent = Object.getPrototypeOf(proto) as { [behaviourBrand]?: unknown } | null;
  return parent !== null && parent[behaviourBrand] === true;
}
