import type { ActorRef } from '../kernel/ActorRef.js';
import { Cell } from '../kernel/Cell.js';
import { InvalidOptionError } from '../errors/errors.js';

/**
 * True for a real ActorRef (one that `spawn`, a supervisor or a registry gave out),
 * alive or dead; false for anything else, including lookalikes such as `{ id: 'x' }`.
 * One `instanceof`: cheap enough for hot paths.
 *
 * @example
 * if (!isActorRef(value)) throw new Error('not an actor');
 */
export function isActorRef(value: unknown): value is ActorRef {
  return value instanceof Cell;
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
  return new InvalidOptionError(`${operation}: ${argument}`, 'an ActorRef returned by spawn', value);
}

/**
 * Checks that `value` is an ActorRef and returns it as the runtime cell; throws
 * {@link badRef}'s error otherwise. @internal
 *
 * @example
 * const cell = checkRef('link', ref);
 */
export function checkRef(operation: string, value: unknown, argument = 'ref'): Cell {
  if (value instanceof Cell) return value;
  throw badRef(operation, value, argument);
}
