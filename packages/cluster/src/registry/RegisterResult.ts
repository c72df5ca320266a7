import type { ActorRef, Protocol } from '@arbor/core';

/**
 * What `register` and `unregister` of a `ClusterRegistry` answer: done; the name is held by
 * another actor (a local ref, or a `ClusterRef` for one on another node); or the KV store
 * did not answer within the timeout, this node is fenced, or the registry is stopped
 * (`reason` says which; a register that timed out may still land, and is then undone).
 *
 * @example
 * const r = await carts.register('cart:u42', ref);
 * if (r.status === 'taken') await call(r.holder, { type: 'merge', from: ref });
 */
export type RegisterResult<P extends Protocol = any> =
  | { readonly status: 'ok' }
  | { readonly status: 'taken'; readonly holder: ActorRef<P> }
  | { readonly status: 'unavailable'; readonly reason: string };
