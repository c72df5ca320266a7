import { ActorSystem, InvalidOptionError, type ActorRef } from '@arbor/core';
import { JobPoolStoppedError, JobRejectedError } from '../errors/jobErrors.js';
import { defaultTree } from '../pools/defaultPools.js';
import type { Job, RunOptions } from './Job.js';
import type { JobPoolCore, JobPoolStatus } from './JobPoolCore.js';
import { coreOf, managerOf, type JobPoolManagerProtocol } from './JobPoolManager.js';
import type { JobPoolOptions } from './JobPoolOptions.js';
import type { Task, TaskArgs, TaskResult } from './Task.js';

const jobOf = new WeakMap<JobRef<unknown>, { job: Job; core: JobPoolCore }>();

/**
 * A job started with `pool.async`: pass it to `pool.await(ref)` for the result, or to
 * `pool.killRef(ref)`. Opaque.
 *
 * @example
 * const ref = pool.async(task, args);
 * if (!(ref instanceof JobRejectedError)) console.log(await pool.await(ref));
 */
export class JobRef<R> {
  declare readonly [Symbol.toStringTag]: 'JobRef';
  /** Type only: the job's result. */
  declare readonly __result?: R;
  /** @internal */
  constructor(
    readonly pool: string,
    readonly id: number,
  ) {}
}

/**
 * The handle of one job pool, by name: every call looks its core up, so a handle keeps
 * working across the pool's restarts (a call while it restarts rejects with
 * `JobPoolStoppedError`, code `pool_stopped`). Jobs go straight to the pool's core (no mailbox hop).
 *
 * @example
 * const pool = await JobPool.start(system, { name: 'math', profile: threadProfile({ module: TASK_WORKER_URL }) });
 * await pool.run(add, [1, 2]); // 3
 */
export class JobPool {
  readonly #system: ActorSystem;
  readonly #name: string;

  /** @internal Use `JobPool.start`, `pools.startJobPool` or `JobPool.of`. */
  constructor(system: ActorSystem, name: string) {
    this.#system = system;
    this.#name = name;
  }

  /**
   * Starts a job pool in the system's default pools tree (`Pools.of(system)`, started if it
   * is not running) and resolves with its handle; rejects with the `PoolStartError` when its
   * first workers fail. A pool of that name that runs already is answered as is.
   *
   * @example
   * const pool = await JobPool.start(system, { name: 'thumbs', profile, maxWorkers: 4, maxMemoryBytes: 2 ** 31 });
   */
  static async start(system: ActorSystem, options: JobPoolOptions): Promise<JobPool> {
    if (!(system instanceof ActorSystem)) throw new InvalidOptionError('JobPool.start: system', 'an ActorSystem (createSystem())', system);
    const pools = await defaultTree(system);
    const r = await pools.startJobPool(options);
    if (r.status === 'error') throw r.reason;
    return r.pool;
  }

  /**
   * The handle of the job pool named `name` in `system`.
   *
   * @example
   * const thumbs = JobPool.of(system, 'thumbs');
   */
  static of(system: ActorSystem, name: string): JobPool {
    return new JobPool(system, name);
  }

  /** The pool's name. */
  get name(): string {
    return this.#name;
  }

  /**
   * Runs `task(...args)` in a worker and resolves with its result. Rejects with a
   * `JobRejectedError` (`insufficient_memory`, `no_workers`, `queue_full`, `queue_timeout`,
   * `pool_stopped`), `JobTimeoutError`, `JobKilledError`, `JobWorkerExitError` (code
   * `worker_exit` or `oom`), or the task's own error (`WorkerTaskError`, with its stack).
   *
   * @example
   * const png = await pool.run(thumb, [img, 128], { timeoutMs: 10_000, maxHeapBytes: 64 * 2 ** 20 });
   */
  run<T extends Task<any, any>>(task: T, args: TaskArgs<T>, options?: RunOptions): Promise<TaskResult<T>> {
    const core = coreOf(this.#system, this.#name);
    if (core === undefined) return Promise.reject(new JobPoolStoppedError(this.#name));
    let job;
    try {
      job = core.submit(task, args, options, false);
    } catch (error) {
      return Promise.reject(error);
    }
    return (job instanceof JobRejectedError ? Promise.reject(job) : job.promise) as Promise<TaskResult<T>>;
  }

  /**
   * Admits a job now and answers its `JobRef`, or the `JobRejectedError` that refused it
   * (returned, not thrown: a rejection is an expected outcome). Misuse throws.
   *
   * @example
   * const ref = pool.async(thumb, [img, 128], { name: 'tenant-42' });
   * if (ref instanceof JobRejectedError) return ref.code;
   */
  async<T extends Task<any, any>>(task: T, args: TaskArgs<T>, options?: RunOptions): JobRef<TaskResult<T>> | JobRejectedError {
    const core = coreOf(this.#system, this.#name);
    if (core === undefined) return new JobPoolStoppedError(this.#name);
    const job = core.submit(task, args, options, true);
    if (job instanceof JobRejectedError) return job;
    const ref = new JobRef<TaskResult<T>>(this.#name, job.id);
    jobOf.set(ref, { job, core });
    job.promise.catch(() => undefined); // a ref never awaited does not leave an unhandled rejection
    return ref;
  }

  /**
   * The result of a job started with `async` (as `run` settles).
   *
   * @example
   * const png = await pool.await(ref);
   */
  await<R>(ref: JobRef<R>): Promise<R> {
    const entry = jobOf.get(ref as JobRef<unknown>);
    if (entry === undefined) return Promise.reject(new InvalidOptionError('await: ref', 'a JobRef from this process\'s pool.async', ref));
    return entry.job.promise as Promise<R>;
  }

  /**
   * Kills every live job named `name` (queued ones are dropped, running ones cancelled in
   * their worker) and answers how many; their callers reject with `JobKilledError`
   * (`user_killed`), or with `error` when you pass one.
   *
   * @example
   * pool.kill('tenant-42'); // 3
   */
  kill(name: string, error?: Error): number {
    if (typeof name !== 'string') throw new InvalidOptionError('kill: name', 'the name the jobs were run with', name);
    return coreOf(this.#system, this.#name)?.kill(name, error) ?? 0;
  }

  /**
   * Kills the job of `ref`; answers whether it was still live.
   *
   * @example
   * pool.killRef(ref);
   */
  killRef(ref: JobRef<unknown>, error?: Error): boolean {
    const entry = jobOf.get(ref);
    if (entry === undefined) throw new InvalidOptionError('killRef: ref', 'a JobRef from pool.async', ref);
    return entry.core.killJob(entry.job, error);
  }

  /**
   * Kills every live job of the pool and answers how many.
   *
   * @example
   * pool.flush();
   */
  flush(error?: Error): number {
    return coreOf(this.#system, this.#name)?.flush(error) ?? 0;
  }

  /**
   * The pool's counters and timings now.
   *
   * @example
   * const { running, queued, committedBytes } = pool.status();
   */
  status(): JobPoolStatus {
    return this.#core().status();
  }

  /**
   * Resolves once the pool takes jobs (after a restart, say); rejects with `JobPoolStoppedError`
   * (code `pool_stopped`) past `timeoutMs` (default 5000).
   *
   * @example
   * await pool.ready();
   */
  async ready(options?: { readonly timeoutMs?: number }): Promise<JobPoolStatus> {
    const deadline = Date.now() + (options?.timeoutMs ?? 5_000);
    for (;;) {
      const core = coreOf(this.#system, this.#name);
      if (core !== undefined) return core.status();
      if (Date.now() >= deadline) throw new JobPoolStoppedError(this.#name);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * The pool's manager actor now (a new ref after each restart), or undefined while the pool
   * does not take jobs; as `CheckoutPool.manager`, for monitoring it or for a fault drill.
   *
   * @example
   * const manager = pool.manager;
   * if (manager !== undefined) system.monitor(manager, () => console.log('the job pool restarts'));
   */
  get manager(): ActorRef<JobPoolManagerProtocol> | undefined {
    return managerOf(this.#system, this.#name);
  }

  #core(): JobPoolCore {
    const core = coreOf(this.#system, this.#name);
    if (core === undefined) throw new JobPoolStoppedError(this.#name);
    return core;
  }
}
