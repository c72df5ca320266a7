/** The settings every node of the cluster workloads joins with. */

/** The cluster's name: subjects are `arbor.bench.*`. */
export const CLUSTER_NAME = 'bench';

/** Heartbeat period of every node in the cluster workloads (the settings `nodedown_ms` reports). */
export const HEARTBEAT_MS = 100;

/** A peer not heard from for this long is down (`nodedown_ms`'s target is this + 50 ms). */
export const DOWN_AFTER_MS = 400;
