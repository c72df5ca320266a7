/**
 * @arbor/cluster: Arbor across machines over NATS. The public entry.
 *
 * @example
 * import { NatsKvStore } from '@arbor/cluster';
 */
export { KvConflictError } from './errors/KvConflictError.js';
export { KvUnavailableError } from './errors/KvUnavailableError.js';
export type { KvEntry, KvStore, KvWatch } from './kv/KvStore.js';
export { MemoryKvBucket } from './kv/MemoryKvBucket.js';
export { MemoryKvStore, type MemoryKvStoreOptions } from './kv/MemoryKvStore.js';
export { NatsKvStore, type NatsKvStoreOptions } from './kv/NatsKvStore.js';
