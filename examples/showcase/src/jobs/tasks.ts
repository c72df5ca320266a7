/**
 * The tasks of part nine: plain exports that the job pool's task worker
 * (`TASK_WORKER_URL`) imports once per worker thread and calls by name. `jobs.ts` names
 * them with `defineTask<Args, Result>(new URL('./tasks.js', import.meta.url), name)`.
 * A task gets its arguments, then a `TaskContext` whose `signal` fires when the job is
 * killed or times out.
 */
import { readlinkSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import type { TaskContext } from '@arbor/worker-profiles/worker';

/**
 * Adds two numbers.
 *
 * @example
 * await pool.run(defineTask<[number, number], number>(TASKS, 'add'), [2, 3]); // 5
 */
export function add(a: number, b: number): number {
  return a + b;
}

/**
 * Who runs the job: the Node threadId and the OS thread id (`/proc/thread-self`, Linux).
 *
 * @example
 * const { osThreadId } = await pool.run(defineTask<[], Who>(TASKS, 'whoami'), []);
 */
export function whoami(): { threadId: number; osThreadId: number } {
  return { threadId, osThreadId: Number(readlinkSync('/proc/thread-self').split('/').pop()) };
}

/**
 * Waits `ms`, then answers it; a kill (or a timeout) ends it early through its signal.
 *
 * @example
 * await pool.run(defineTask<[number], number>(TASKS, 'sleep'), [100]); // 100
 */
export function sleep(ms: number, ctx: TaskContext): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(ms), ms);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    });
  });
}

/**
 * Allocates without end (8 MB arrays kept alive), until its worker's heap cap stops it.
 *
 * @example
 * await pool.run(defineTask<[], never>(TASKS, 'hog'), [], { maxHeapBytes: 32 * MiB }); // rejects: oom
 */
export function hog(): never {
  const kept: number[][] = [];
  for (;;) kept.push(new Array<number>(1e6).fill(kept.length));
}
