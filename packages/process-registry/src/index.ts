/**
 * @arbor/process-registry: an LMDB registry of external OS worker processes that never
 * leaves an orphan and never kills a stranger. See docs/process-registry.md.
 */
export { ProcessRegistry } from './registry/ProcessRegistry.js';
export { ProcessRegistryHandle } from './registry/ProcessRegistryHandle.js';
export { defaultRegistryPath, type ProcessRegistryOptions } from './registry/ProcessRegistryOptions.js';
export type {
  ActivateResult,
  CleanupDeadResult,
  DebugEntry,
  InvalidArgumentReply,
  ProcessRegistryProtocol,
  RegistryStats,
  ReserveResult,
  UnregisterResult,
  WorkerInfo,
  WorkerMarkers,
} from './registry/protocol.js';
export type { MarkedProcessOutcome, OrphanCleanupReport, OrphanOutcome } from './registry/cleanupReport.js';
export { ActivationFailedError, SpawnFailedError, StoreUnavailableError, WorkerAlreadyRegisteredError } from './registry/errors.js';
export { StoreWriteError } from './store/StoreWriteError.js';
export type { OwnerIdentity, WorkerEntry, WorkerStatus } from './store/WorkerEntry.js';
export { registryFileOptions } from './store/storeOptions.js';
export type { KillOutcome } from './proc/terminate.js';
export { OWNER_PID_ENV, OWNER_START_TIME_ENV, procSupported, REGISTRY_PATH_ENV, RUN_ID_ENV, WORKER_ID_ENV } from './proc/procfs.js';
export { spawnWorker, type SpawnedWorker, type SpawnWorkerOptions } from './spawn/spawnWorker.js';
export { MAX_WORKER_ID_BYTES } from './registry/validate.js';
