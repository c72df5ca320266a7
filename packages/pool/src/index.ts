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
export { Pools, type PoolsOptions, type StartPoolResult } from './pools/Pools.js';
