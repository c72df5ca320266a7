/**
 * @arbor/pool: checkout pools (poolboy's semantics, its open issues fixed) of actors,
 * threads, Node or Python processes, as named pools under a pools supervisor. See docs/pools.md.
 */
export { CheckoutPool, type CheckoutOptions, type TransactionOptions } from './checkout/CheckoutPool.js';
export type { CheckoutPoolOptions, PoolWorker, WorkerOf } from './checkout/CheckoutPoolOptions.js';
export { Lease } from './checkout/Lease.js';
export { PoolManager, type PoolManagerProtocol } from './checkout/PoolManager.js';
export type { PoolStatus } from './checkout/PoolStatus.js';
export { PoolSupervisor } from './checkout/PoolSupervisor.js';
export { CheckoutAbortedError, CheckoutTimeoutError, LeaseEndedError, PoolFullError, PoolStartError, PoolStoppedError, WorkerStartFailedError } from './errors/errors.js';
export { Pools, type PoolsOptions, type StartJobPoolResult, type StartPoolResult } from './pools/Pools.js';
export { defineTask, taskFromSource, type Task, type TaskArgs, type TaskResult } from './jobs/Task.js';
export type { RunOptions } from './jobs/Job.js';
export { JobPool, JobRef } from './jobs/JobPool.js';
export type { JobPoolOptions } from './jobs/JobPoolOptions.js';
export type { JobPoolStatus } from './jobs/JobPoolCore.js';
export type { CrashBarrierOptions, Taint } from './jobs/CrashBarrier.js';
export { JobPoolManager, type JobPoolManagerProtocol } from './jobs/JobPoolManager.js';
export { JobPoolSupervisor } from './jobs/JobPoolSupervisor.js';
export { InsufficientMemoryError, JobKilledError, JobPoolStoppedError, JobRejectedError, JobTimeoutError, JobWorkerExitError, NoWorkersError, QueueFullError, QueueTimeoutError } from './errors/jobErrors.js';
export { TASK_WORKER_URL } from './jobs/taskWorkerUrl.js';
