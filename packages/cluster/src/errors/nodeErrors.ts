import { ArborError } from '@arbor/core';

/**
 * No node of that name is up in the cluster (never joined, left, or lost).
 *
 * @example
 * await cluster.spawn('node-z', 'Worker', 1); // rejects: NoNodeError
 */
export class NoNodeError extends ArborError {
  readonly code = 'no_node' as const;
  constructor(
    readonly node: string,
    operation: string,
    up: readonly string[],
  ) {
    super(`${operation}: no node "${node}" is up in the cluster (up: ${up.length === 0 ? 'none' : up.join(', ')}); check cluster.nodes() or wait for its nodeup with cluster.onNode`);
  }
}

/**
 * The behaviour name asked for by a remote spawn is not among the target node's
 * `behaviours` (code is never shipped between nodes).
 *
 * @example
 * await cluster.spawn('node-b', 'Wroker', 1); // rejects: UnknownBehaviourError
 */
export class UnknownBehaviourError extends ArborError {
  readonly code = 'unknown_behaviour' as const;
  constructor(
    readonly behaviour: string,
    readonly node: string,
    known: readonly string[],
  ) {
    super(`spawn: node "${node}" has no behaviour "${behaviour}" (it offers: ${known.length === 0 ? 'none' : known.join(', ')}); add it to that node's joinCluster({ behaviours })`);
  }
}

/**
 * A remote spawn got no answer within its timeout (the node may still start the actor).
 *
 * @example
 * await cluster.spawn('node-b', 'Worker', 1, { timeout: 100 }); // may reject: RemoteSpawnTimeoutError
 */
export class RemoteSpawnTimeoutError extends ArborError {
  readonly code = 'spawn_timeout' as const;
  constructor(
    readonly node: string,
    readonly behaviour: string,
    readonly timeout: number,
  ) {
    super(`spawn: node "${node}" did not answer the spawn of ${behaviour} within ${timeout} ms; raise { timeout } or check the node's log`);
  }
}

/**
 * A node did not answer `cluster.whereisOn` within its timeout.
 *
 * @example
 * await cluster.whereisOn('api-2', 'cache', { timeout: 100 }); // RemoteLookupTimeoutError if api-2 is slow
 */
export class RemoteLookupTimeoutError extends ArborError {
  readonly code = 'lookup_timeout' as const;
  constructor(
    readonly node: string,
    readonly lookedUp: string,
    readonly timeout: number,
  ) {
    super(`whereisOn: node "${node}" did not answer the lookup of "${lookedUp}" within ${timeout} ms; raise { timeout } or check the node's log`);
  }
}

/**
 * The node has left the cluster (`cluster.leave()`): it sends and spawns no more.
 *
 * @example
 * await cluster.leave(); await cluster.spawn('b', 'Worker', 1); // rejects: ClusterLeftError
 */
export class ClusterLeftError extends ArborError {
  readonly code = 'cluster_left' as const;
  constructor(
    readonly node: string,
    operation: string,
  ) {
    super(`${operation}: node "${node}" has left the cluster; join again with joinCluster`);
  }
}
