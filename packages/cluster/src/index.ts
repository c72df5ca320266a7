/**
 * @arbor/cluster: Arbor across machines over NATS. The same typed refs, calls, casts, links
 * and monitors between nodes as within one, with Erlang's `noconnection` semantics.
 *
 * @example
 * import { joinCluster } from '@arbor/cluster';
 * const cluster = await joinCluster(system, { cluster: 'shop', node: 'api-1', nats: { servers: 'nats://127.0.0.1:4222' } });
 */
export { Cluster } from './node/Cluster.js';
export type { NodeDownMessage, NodeDownReason, NodeEvent, NodeId, RemoteSpawnOptions } from './node/NodeEvent.js';
export type { ClusterOptions } from './node/ClusterOptions.js';
export { ClusterRef } from './node/ClusterRef.js';
export { joinCluster } from './node/joinCluster.js';
export { remote, type Placement } from './supervision/remote.js';
export { ClusterGroups, type ClusterGroupsOptions } from './groups/ClusterGroups.js';
export { ClusterLeftError, NoNodeError, RemoteLookupTimeoutError, RemoteSpawnTimeoutError, UnknownBehaviourError } from './errors/nodeErrors.js';
export { FrameCodec } from './wire/FrameCodec.js';
export type { RefClass, RefHooks } from './wire/RefHooks.js';
export { RemoteError, type RemoteErrorFields } from './errors/RemoteError.js';
export { UnserialisableMessageError } from './errors/UnserialisableMessageError.js';
export { MessageTooLargeError } from './errors/MessageTooLargeError.js';
export { FrameDecodeError } from './errors/FrameDecodeError.js';
export type { Transport, TransportStatus, TransportSubscription } from './transport/Transport.js';
export type { TransportLogger } from './transport/TransportLogger.js';
export { NatsTransport, type NatsTransportOptions } from './transport/NatsTransport.js';
export {
  MemoryNetwork,
  type MemoryDisconnectReason,
  type MemoryNetworkOptions,
  type MemoryPairFilter,
  type MemoryPairStats,
  type MemoryPeer,
} from './transport/MemoryNetwork.js';
export { MemoryTransport } from './transport/MemoryTransport.js';
export { watchDisconnects, type DisconnectInfo, type DisconnectWatchOptions, type DisconnectWatcher } from './transport/SysEvents.js';
export { isValidSubject, subjectMatches } from './transport/subjectMatches.js';
export { seededRandom } from './transport/seededRandom.js';
export { TransportConnectError } from './errors/TransportConnectError.js';
export { TransportClosedError } from './errors/TransportClosedError.js';
export { TransportNameInUseError } from './errors/TransportNameInUseError.js';
export { InvalidSubjectError } from './errors/InvalidSubjectError.js';
export { UnknownConnectionError } from './errors/UnknownConnectionError.js';
export { KvConflictError } from './errors/KvConflictError.js';
export { KvUnavailableError } from './errors/KvUnavailableError.js';
export type { KvEntry, KvStore, KvWatch } from './kv/KvStore.js';
export { MemoryKvBucket, MemoryKvStore, type MemoryKvStoreOptions } from './kv/MemoryKvStore.js';
export { NatsKvStore, type NatsKvStoreOptions } from './kv/NatsKvStore.js';
export { ClusterRegistry, type ClusterRegistryOptions } from './registry/ClusterRegistry.js';
export type { RegisterResult } from './registry/RegisterResult.js';
export { RegistryUnavailableError, SynchronousRegisterError } from './errors/registryErrors.js';
export { NodeLeases } from './lease/NodeLeases.js';
export type { FenceReason, LeaseOptions } from './lease/LeaseOptions.js';
