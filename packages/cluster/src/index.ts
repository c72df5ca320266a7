/**
 * @arbor/cluster: Arbor across machines over NATS. The public entry.
 *
 * @example
 * import { NatsTransport, MemoryNetwork } from '@arbor/cluster';
 */
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
