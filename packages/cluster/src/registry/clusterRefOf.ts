import { ClusterRef } from '../node/ClusterRef.js';
import type { Cluster } from '../node/Cluster.js';

/**
 * The ref of actor `id` on incarnation `incarnation` of another node, for a name held there.
 *
 * TODO(cluster hook): the cluster interns its refs in its private RefTable (one object per
 * remote actor, which its link bookkeeping relies on), and has no public way to hand one out.
 * Until it offers `cluster.refOf(incarnation, id)` (returning `#refs.ref(incarnation, id)`),
 * this builds a ClusterRef with the internal constructor; the registry interns it itself.
 * Calls, casts, sends, exits and monitors through it work; a link made through it is not
 * matched by the cluster's link table when the far side's exit or the node's loss arrives.
 * @internal
 *
 * @example
 * const ref = clusterRefOf(cluster, 'b~x1', 'K2f9');
 */
export function clusterRefOf(cluster: Cluster, incarnation: string, id: string): ClusterRef {
  return new ClusterRef(id, incarnation, cluster);
}

/**
 * Puts local actor `ref` in the cluster's export table, so that a ref other nodes build from a
 * registry entry (incarnation + id) reaches it.
 *
 * TODO(cluster hook): needs `cluster.exportRef(ref)` (the RefTable's `encode`, which exports a
 * local ref and drops it at the actor's exit). Until then: encoding a message that holds the
 * ref exports it, and a send to a ref of this node's own incarnation encodes and then sends
 * nothing (`remoteCast` encodes before it looks for a peer, and there is none for itself).
 * @internal
 *
 * @example
 * exportLocalRef(cluster, ref); // now [incarnation, ref.id] from another node reaches ref
 */
export function exportLocalRef(cluster: Cluster, ref: object): void {
  new ClusterRef('registry-export', cluster.self.incarnation, cluster).send({ ref });
}
