import type { ActorRef } from '../kernel/index.js';
import { ArborError, hideRefs, refLabel } from '../errors/ArborError.js';

/**
 * The registry is not running (it stopped, crashed or was killed), so its table is gone.
 * A handle of a registry started with a `name` follows that name: it works again as soon
 * as a registry with the same name is running (after a supervisor restarted it, say).
 *
 * @example
 * await system.stop(registry.ref);
 * registry.lookup('a'); // throws RegistryStoppedError
 */
export class RegistryStoppedError extends ArborError {
  readonly code = 'registry_stopped' as const;
  constructor(readonly registry: string, readonly operation: string) {
    super(
      `${operation}: registry ${JSON.stringify(registry)} is not running; start it again (under a supervisor, with a name, ` +
        'so its handles follow the restart) or get the running one with Registry.named(system, name)',
    );
  }
}

/**
 * The operation needs a registry with unique keys: via-naming, `whereis` and
 * `updateValue` are not supported by a duplicate registry (as in Elixir).
 *
 * @example
 * await system.spawn(Worker, cfg, { name: via(pubsub, 'topic') }); // rejects: duplicate keys
 */
export class DuplicateKeysError extends ArborError {
  readonly code = 'duplicate_keys' as const;
  constructor(readonly registry: string, readonly operation: string, hint: string) {
    super(`${operation} is not supported by registry ${JSON.stringify(registry)}, whose keys are 'duplicate'; ${hint}`);
  }
}

/**
 * A write that acts for "the calling actor" was made outside any actor's handler (or after
 * an `await` in one, where the runtime no longer knows who is running).
 *
 * @example
 * registry.register('a', 1); // from outside an actor: throws NoOwnerError
 * registry.register('a', 1, { owner: ref }); // fine
 */
export class NoOwnerError extends ArborError {
  readonly code = 'no_owner' as const;
  constructor(readonly operation: string) {
    super(
      `${operation} was called outside an actor's handler, so there is no calling actor to act for; ` +
        'call it from init/handleCall/handleCast/handleInfo before any await, or pass { owner: ref }',
    );
  }
}

/**
 * `Registry.of(ref)` was given the ref of an actor that is not a registry.
 *
 * @example
 * Registry.of(counterRef); // throws NotARegistryError
 */
export class NotARegistryError extends ArborError {
  readonly code = 'not_a_registry' as const;
  constructor(readonly actor: ActorRef) {
    super(`actor ${refLabel(actor)} is not a Registry; pass the ref that spawning Registry returned, or use Registry.named(system, name)`);
    hideRefs(this, 'actor');
  }
}
