import { type ActorRef, currentCell } from '../kernel/index.js';

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
  return currentCell();
}
