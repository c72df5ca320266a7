import { ArborError } from '@arbor/core';

/**
 * A cluster registry was asked to register synchronously (`registerName`): a cluster-wide
 * name is a compare-and-set in the KV store, so it is claimed asynchronously. Use
 * `await registry.register(key, ref)`, or spawn with `registry.via(key)` (spawn awaits the claim).
 *
 * @example
 * registry.registerName('cart:1', ref); // throws SynchronousRegisterError
 */
export class SynchronousRegisterError extends ArborError {
  readonly code = 'synchronous_register' as const;
  constructor(readonly label: string) {
    super(`${label}: a cluster name cannot be registered synchronously; use await registry.register(key, ref), or spawn with { name: registry.via(key) }`);
  }
}

/**
 * A spawn named through a cluster registry could not claim its name: the KV store did not
 * answer within the timeout, this node is fenced, or the registry is stopped. Nothing started.
 *
 * @example
 * await system.spawn(Cart, arg, { name: carts.via('cart:1') }); // rejects: RegistryUnavailableError
 */
export class RegistryUnavailableError extends ArborError {
  readonly code = 'registry_unavailable' as const;
  constructor(
    readonly label: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${label}: could not claim ${JSON.stringify(key)} (${reason}); the name may be retried once the store answers`);
  }
}
