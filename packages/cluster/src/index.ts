/**
 * @arbor/cluster: Arbor across machines over NATS. The same typed refs, calls, casts, links
 * and monitors between nodes as within one, with Erlang's `noconnection` semantics.
 *
 * @example
 * import { joinCluster } from '@arbor/cluster';
 * const cluster = await joinCluster(system, { cluster: 'shop', node: 'api-1', nats: { servers: 'nats://127.0.0.1:4222' } });
 */
export { Cluster, type NodeDownMessage, type NodeDownReason, type NodeEvent, type NodeId, type RemoteSpawnOptions } from './node/Cluster.js';
export type { ClusterOptions } from './node/ClusterOptions.js';
export { ClusterRef } from './node/ClusterRef.js';
export { joinCluster } from './node/joinCluster.js';
export { ClusterLeftError, NoNodeError, RemoteSpawnTimeoutError, UnknownBehaviourError } from './errors/nodeErrors.js';
export { FrameCodec } from './wire/FrameCodec.js';
export type { RefClass, RefHooks } from './wire/RefHooks.js';
export { RemoteError, type RemoteErrorFields } from './errors/RemoteError.js';
export { UnserialisableMessageError } from './errors/UnserialisableMessageError.js';
export { FrameDecodeError } from './errors/FrameDecodeError.js';
