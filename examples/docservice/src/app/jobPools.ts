/**
 * The service's two job pools, named pools of the pools tree (found by name across
 * restarts): `stats`, thread workers running `statsTask.ts`; `summary`, Python workers
 * running `python/summary.py` through `arbor_tasks.py`.
 */
import { fileURLToPath } from 'node:url';
import { defineTask, TASK_WORKER_URL, type JobPoolOptions } from '@arbor/pool';
import { pythonProfile, PYTHON_TASKS_PATH, threadProfile } from '@arbor/worker-profiles';
import type { DocumentStats } from '../workers/statsTask.js';

const MiB = 2 ** 20;

/** The stats task module (this module runs from `dist/src/app/`). */
const STATS_TASKS = new URL('../workers/statsTask.js', import.meta.url);
/** The Python summary file. */
const SUMMARY_PY = fileURLToPath(new URL('../../../python/summary.py', import.meta.url));

/**
 * `stats(text, rounds, phrases)` in a thread.
 *
 * @example
 * await JobPool.of(system, 'stats').run(statsTask, ['some text', 1, 0]);
 */
export const statsTask = defineTask<[string, number, number], DocumentStats>(STATS_TASKS, 'stats');

/** What the Python summary answers. */
export interface DocumentSummary {
  readonly words: number;
  readonly sentences: number;
  readonly keywords: readonly (readonly [string, number])[];
  readonly readability: number | null;
  readonly entropy: number;
  readonly pid: number;
}

/** The demo's fault injection in a summary job (see python/summary.py). */
export type SummaryFault = { readonly crash_marker: string } | { readonly hang: true };

/**
 * `summarize(text, fault)` in a Python worker.
 *
 * @example
 * await JobPool.of(system, 'summary').run(summaryTask, ['some text', null], { idempotent: true });
 */
export const summaryTask = defineTask<[string, SummaryFault | null], DocumentSummary>(SUMMARY_PY, 'summarize');

/** The heap cap of a stats job that counts phrases: it runs alone on a thread capped there. */
export const PHRASES_HEAP_BYTES = 32 * MiB;

/**
 * The stats pool: 2 to 3 threads, a 256 MiB budget (jobs with phrases commit 32 MiB each).
 * `stopGraceMs` 1000 (the default is 5000): when the pool restarts (its manager died), a
 * worker still running a job whose caller was already answered `killed` gets 1 s to finish
 * before its thread is terminated, so the pool serves again within about a second.
 *
 * @example
 * await pools.startJobPool(statsPoolOptions());
 */
export function statsPoolOptions(): JobPoolOptions {
  return { name: 'stats', profile: threadProfile({ module: TASK_WORKER_URL }), minWorkers: 2, maxWorkers: 3, maxMemoryBytes: 256 * MiB, maxQueue: 100, queueTimeoutMs: 5_000, worker: { stopGraceMs: 1_000 } };
}

/**
 * The summary pool: 2 Python processes, registered in the process registry. The crash
 * barrier is on (a process profile's default): a worker that crashes under a job has its
 * slot tainted, and the job (idempotent) runs again on the other worker. `pdeathsig`:
 * spawn under `setpriv --pdeathsig KILL` (the kernel kills them if the app dies; the
 * process registry's sweep is the second line).
 *
 * @example
 * await pools.startJobPool(summaryPoolOptions({ pdeathsig: true }));
 */
export function summaryPoolOptions(options: { readonly pdeathsig: boolean }): JobPoolOptions {
  return {
    name: 'summary',
    profile: pythonProfile({ script: PYTHON_TASKS_PATH, registry: 'process-registry', pdeathsig: options.pdeathsig }),
    minWorkers: 2,
    maxWorkers: 2,
    maxQueue: 100,
    queueTimeoutMs: 5_000,
  };
}
