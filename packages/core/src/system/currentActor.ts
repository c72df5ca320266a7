import type { ActorRef } from '../kernel/ActorRef.js';
import { running } from '../kernel/Cell.js';
import { DEAD } from '../kernel/flags.js';

/**
 * The actor whose handler (or `init`) is running right now, in its synchronous part; `undefined`
 * outside any actor and after an `await` inside a handler (the runtime cannot tell then). This is
 * how a library ties a resource to the actor that asked for it without an explicit `owner`
 * (Erlang's `self()` in a library call), as the registry does for its writes.
 *
 * @example
 * class Holder extends GenServer {
 *   override init() { console.log(currentActor() === this.self); } // true
 * }
 */
export function currentActor(): ActorRef | undefined {
  const cell = running;
  return cell === null || (cell.flags & DEAD) !== 0 ? undefined : cell;
}
