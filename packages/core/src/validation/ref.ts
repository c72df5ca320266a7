import { type ActorRef, type Cell, isCell, RemoteActorRef } from '../kernel/index.js';
import { InvalidOptionError } from '../errors/errors.js';

/** What every API says a ref must be. */
const AN_ACTOR_REF = 'an ActorRef returned by spawn';

/**
 * What a ref argument must be, as the message text after "must be": the one wording
 * every Arbor API uses, with `or` naming what else it may be. For callers that name the
 * option path themselves or report problems as values; others throw {@link badRef}.
 *
 * @example
 * refExpected();                          // "an ActorRef returned by spawn"
 * refExpected('a non-empty local name');  // "an ActorRef returned by spawn, or a non-empty local name"
 */
export function refExpected(or?: string): string {
  if (or === undefined) return AN_ACTOR_REF;
  if (typeof or !== 'string' || or === '') throw new InvalidOptionError('refExpected: or', 'a non-empty string or undefined', or);
  return `${AN_ACTOR_REF}, or ${or}`;
}

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
 * `or` names what else the argument may be ("null for none"), for the message only.
 *
 * @example
 * if (!isActorRef(ref)) throw badRef('call', ref);
 * if (heir !== null && !isActorRef(heir)) throw badRef('setHeir', heir, 'heir', 'null for none');
 */
export function badRef(operation: string, value: unknown, argument = 'ref', or?: string): InvalidOptionError {
  return new InvalidOptionError(`${operation}: ${argument}`, refExpected(or), value);
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

/**
 * {@link asCell} for the operations that also take a process on another node (call, cast,
 * send, exit, link, unlink, monitor): the cell, or the {@link RemoteActorRef}. @internal
 */
export function asTarget(operation: string, value: unknown, argument = 'ref'): Cell | RemoteActorRef {
  if (isCell(value) || value instanceof RemoteActorRef) return value;
  throw badRef(operation, value, argument);
}
