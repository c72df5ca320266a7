/**
 * Arbor's job pool contender: a `JobPool` of 2 workers, each `run(x)` one job of the
 * trivial `inc` task (`defineTask(JOB_TASKS, 'inc')`).
 */
import type { ActorSystem } from '@arbor/core';
import { defineTask, JobPool, Pools, type JobPoolOptions } from '@arbor/pool';
import type { TaskRunner } from '../workers/rawTransports.js';

/** The bench's task module (`inc`, and the faults of `fault_settle_ms`). */
export const JOB_TASKS = new URL('./modules/jobTasks.js', import.meta.url);

/** The trivial task: `x + 1`. */
export const incTask = defineTask<[number], number>(JOB_TASKS, 'inc');

/**
 * Starts a job pool and runs `inc` jobs on it; `close` stops the pool.
 *
 * @example
 * const arbor = await jobPoolRunner(system, { name: 'bench-jobs', profile, minWorkers: 2, maxWorkers: 2 });
 * await arbor.run(1); // 2
 */
export async function jobPoolRunner(system: ActorSystem, options: JobPoolOptions, task: typeof incTask = incTask): Promise<TaskRunner & { readonly pool: JobPool }> {
  const pool = await JobPool.start(system, options);
  return {
    label: `jobpool ${options.name}`,
    pool,
    run: (x: number): Promise<number> => pool.run(task, [x]),
    close: async () => {
      await Pools.of(system).stopPool(options.name);
    },
  };
}
