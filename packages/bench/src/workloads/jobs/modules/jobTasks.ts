/**
 * The job pool workloads' tasks (`defineTask(JOB_TASKS, name)`), run by `@arbor/pool`'s task
 * worker: the trivial `inc` of the throughput and round-trip workloads, and the faults of
 * `fault_settle_ms`. Plain exports, no imports the task worker would not already have.
 */

/** The trivial task: `x + 1`. */
export const inc = (x: number): number => x + 1;

/** A neighbour: waits `ms` (or until its job is killed: the context's signal). */
export function hold(ms: number, ctx: { readonly signal: AbortSignal }): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(ms), ms);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('killed'));
    }, { once: true });
  });
}

/** The worker's pid (Node processes). */
export const pid = (): number => process.pid;

/** Fault: `process.exit(1)` in the worker. */
export function exit(): never {
  process.exit(1);
}

/** Fault: the task throws (its job fails; the worker stays). */
export function fail(): never {
  throw new RangeError('bench fault: the task threw');
}

/** Fault: an uncaught exception outside the task (a timer), which ends a thread. */
export function uncaught(): Promise<never> {
  setTimeout(() => {
    throw new Error('bench fault: uncaught');
  }, 0);
  return new Promise(() => {});
}

/** Fault: allocates until the heap cap ends the worker. */
export function hog(): number {
  const keep: number[][] = [];
  for (;;) keep.push(new Array(1e5).fill(1.5));
}
