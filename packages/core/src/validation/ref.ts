import { type ActorRef, type Cell, isCell } from '../kernel/index.js';
import { InvalidOptionError } from '../errors/errors.js';

/** What every API says a ref must be. */
const AN_ACTOR_REF = 'an ActorRef returned by spawn';

/**
 * True for a real ActorRef (one that `spawn`, a supervisor or a registry gave out),
 * alive or dead; false for anything else, including lookalikes such as `{ id: 'x' }`.
 * One `instanceof`: cheap enough for hot paths.
 *
 * @example
 * if (!isActorRef(value)) throw new Error('not an actor');
 */
export function isActorRef(value: unknown): value is ActorRef {
  return isCell(value);
}

/**
 * The one error for a value that should be an ActorRef: `InvalidOptionError` with the
 * message "<operation>: ref must be an ActorRef returned by spawn, got: ...". Packages
 * built on core (ets, xstate, process-registry) throw it too, so every API says it alike.
 *
 * @example
 * if (!isActorRef(ref)) throw badRef('call', ref);
 */
export function badRef(operation: string, value: unknown, argument = 'ref'): InvalidOptionError {
  return new InvalidOptionError(`${operation}: ${argument}`, AN_ACTOR_REF, value);
}

/**
 * Checks that `value` is an ActorRef and returns it; throws {@link badRef}'s error
 * otherwise. The check every public API runs on a ref argument.
 *
 * @example
 * const ref = checkRef('link', value); // ActorRef, or InvalidOptionError "link: ref must be an ActorRef returned by spawn, got: ..."
 */
export function checkRef(operation: string, value: unknown, argument = 'ref'): ActorRef {
  if (isCell(value)) return value;
  throw badRef(operation, value, argument);
}

/** {@link checkRef}, returning the kernel's cell (for core's own layers). @internal */
export function asCell(operation: string, value: unknown, argument = 'ref'): Cell {
  if (isCell(value)) return value;
  throw badRef(operation, value, argument);
}
