import { ArborError, formatReason } from '@arbor/core';
import { formatWorkerExit, type WorkerExit } from '@arbor/worker-profiles';

/**
 * The job pool did not take the job (admission); nothing of it ran. `code` says why:
 * `insufficient_memory`, `no_workers`, `queue_full`, `queue_timeout`, `pool_stopped`. `async` returns it,
 * `run` rejects with it.
 *
 * @example
 * const ref = pool.async(task, args); if (ref instanceof JobRejectedError) return reply503(ref.code);
 */
export abstract class JobRejectedError extends ArborError {
  abstract override readonly code: 'insufficient_memory' | 'no_workers' | 'queue_full' | 'queue_timeout' | 'pool_stopped';
  constructor(readonly pool: string, message: string) {
    super(`job pool ${JSON.stringify(pool)} rejected the job: ${message}`);
  }
}

/**
 * The job's `maxHeapBytes` does not fit the pool's memory budget now (or ever, when it is
 * larger than the whole budget).
 *
 * @example
 * catch (e) { if (e instanceof InsufficientMemoryError && e.never) splitTheJob() }
 */
export class InsufficientMemoryError extends JobRejectedError {
  readonly code = 'insufficient_memory' as const;
  /** True when the job is larger than the whole budget: it can never run in this pool. */
  readonly never: boolean;
  constructor(pool: string, readonly maxHeapBytes: number, readonly committedBytes: number, readonly maxMemoryBytes: number) {
    const never = maxHeapBytes > maxMemoryBytes;
    super(
      pool,
      never
        ? `its maxHeapBytes ${maxHeapBytes} is larger than the whole budget (maxMemoryBytes ${maxMemoryBytes}); lower { maxHeapBytes } or raise the pool's maxMemoryBytes`
        : `its maxHeapBytes ${maxHeapBytes} does not fit (${committedBytes} of ${maxMemoryBytes} committed); retry later, or raise maxMemoryBytes`,
    );
    this.never = never;
  }
}

/**
 * `onFull: 'reject'` and no worker has room (Handler's NoWorkersAvailable).
 *
 * @example
 * catch (e) { if (e instanceof NoWorkersError) await sleep(10) }
 */
export class NoWorkersError extends JobRejectedError {
  readonly code = 'no_workers' as const;
  constructor(pool: string, readonly maxWorkers: number) {
    super(pool, `every worker is busy (maxWorkers ${maxWorkers}, onFull 'reject'); retry later, or use onFull 'queue'`);
  }
}

/**
 * The queue holds `maxQueue` jobs already.
 *
 * @example
 * catch (e) { if (e instanceof QueueFullError) shedLoad() }
 */
export class QueueFullError extends JobRejectedError {
  readonly code = 'queue_full' as const;
  constructor(pool: string, readonly maxQueue: number) {
    super(pool, `its queue holds ${maxQueue} jobs already (maxQueue); retry later, or raise maxQueue`);
  }
}

/**
 * The job waited in the queue past `queueTimeoutMs` (or its own deadline) and was dropped
 * before it ran: it never runs later.
 *
 * @example
 * catch (e) { if (e instanceof QueueTimeoutError) console.warn(e.waitedMs) }
 */
export class QueueTimeoutError extends JobRejectedError {
  readonly code = 'queue_timeout' as const;
  constructor(pool: string, readonly waitedMs: number) {
    super(pool, `it waited ${waitedMs} ms in the queue without a worker (queueTimeoutMs or its timeoutMs); it did not run`);
  }
}

/**
 * The job pool is not running (stopped, never started, or between a crash and its
 * restart): the job was not taken. Retry once `pool.ready()` resolves.
 *
 * @example
 * const ref = pool.async(task, args); if (ref instanceof JobPoolStoppedError) await pool.ready();
 */
export class JobPoolStoppedError extends JobRejectedError {
  readonly code = 'pool_stopped' as const;
  constructor(pool: string) {
    super(pool, `the pool is not running (stopped, or restarting); retry after pool.ready(), or start it with pools.startJobPool({ name: ${JSON.stringify(pool)}, ... })`);
  }
}

/**
 * The job ran past its deadline (`timeoutMs`, which covers the queue and the run); its
 * worker was sent a cancel, and replaced if it did not stop within its cancel grace.
 *
 * @example
 * catch (e) { if (e instanceof JobTimeoutError) retryWithMoreTime() }
 */
export class JobTimeoutError extends ArborError {
  readonly code = 'timeout' as const;
  constructor(readonly pool: string, readonly task: string, readonly timeoutMs: number) {
    super(`job ${task} in pool ${JSON.stringify(pool)} did not finish within its ${timeoutMs} ms deadline; it was cancelled`);
  }
}

/**
 * The job was killed by `kill(name)`, `killRef(ref)` or `flush()` (`reason` `user_killed`),
 * or its pool stopped (`pool_stopped`). `error` is what the killer passed, if anything.
 *
 * @example
 * pool.kill('tenant-42'); // the jobs' callers reject with JobKilledError
 */
export class JobKilledError extends ArborError {
  readonly code = 'killed' as const;
  constructor(readonly pool: string, readonly task: string, readonly reason: 'user_killed' | 'pool_stopped', readonly error?: unknown) {
    super(`job ${task} in pool ${JSON.stringify(pool)} was killed (${reason}${error !== undefined ? `: ${formatReason(error)}` : ''})`);
  }
}

/**
 * The job's worker ended while it ran (`exit` classifies it; `attempts` counts the runs,
 * more than one when an idempotent job was retried). An out-of-memory exit has code `oom`.
 *
 * @example
 * catch (e) { if (e instanceof JobWorkerExitError && e.code === 'oom') lowerTheInput() }
 */
export class JobWorkerExitError extends ArborError {
  readonly code: 'worker_exit' | 'oom';
  constructor(readonly pool: string, readonly task: string, readonly exit: WorkerExit, readonly attempts: number) {
    // one line: a start-up death's exit carries the worker's last output (kept whole on `exit`)
    const how = formatWorkerExit(exit).replace(/\s*\n\s*/g, ' ');
    super(`job ${task} in pool ${JSON.stringify(pool)} lost its worker: ${how}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`);
    this.code = exit.reason === 'oom' ? 'oom' : 'worker_exit';
  }
}
