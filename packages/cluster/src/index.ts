/**
 * @arbor/cluster: Arbor across machines over NATS. The public entry.
 *
 * @example
 * import { joinCluster } from '@arbor/cluster';
 */
export {};
